using Repro.Capture.Metrics;
using Repro.Model.Serialization;

namespace Repro.Checks.Lint;

/// <summary>
/// Builds <see cref="LintOptions"/> from the <c>lint:</c> section of <c>repro.yaml</c>
/// (<c>select</c>, <c>ignore</c>: lists or comma-separated; <c>python</c>), then the flags, which
/// replace the file's lists when given.
/// </summary>
public static class LintSettings
{
    public const string FileName = "repro.yaml";

    public static LintOptions Build(string? configDirectory, IReadOnlyList<string> select, IReadOnlyList<string> ignore, string? python)
    {
        var options = new LintOptions();
        var sources = new List<string> { "defaults" };
        var file = configDirectory is null ? null : Path.Combine(configDirectory, FileName);
        if (file is not null && File.Exists(file))
        {
            List<KeyValuePair<string, string>> flat;
            try
            {
                flat = StructuredFile.FlattenYaml(BoundedFile.ReadAllText(file, YamlLimits.MaxFileBytes), file);
            }
            catch (FormatException ex)
            {
                throw ReproException.Usage(ex.Message);
            }

            var fileSelect = new List<string>();
            var fileIgnore = new List<string>();
            var lint = flat.Where(p => p.Key.StartsWith("lint.", StringComparison.Ordinal)).ToList();
            foreach (var (key, value) in lint)
            {
                var name = key["lint.".Length..];
                var list = name.Split('.')[0];
                if (list == "select" && (name == "select" || int.TryParse(name["select.".Length..], out _)))
                {
                    fileSelect.AddRange(Split(value));
                }
                else if (list == "ignore" && (name == "ignore" || int.TryParse(name["ignore.".Length..], out _)))
                {
                    fileIgnore.AddRange(Split(value));
                }
                else if (name == "python")
                {
                    options = options with { Python = value };
                }
                else
                {
                    throw ReproException.Usage($"{file}: unknown setting {key} (known: lint.select, lint.ignore, lint.python)");
                }
            }

            Validate(fileSelect, $"{file}: lint.select");
            Validate(fileIgnore, $"{file}: lint.ignore");
            options = options with { Select = fileSelect, Ignore = fileIgnore };
            if (lint.Count > 0)
            {
                sources.Add(FileName);
            }
        }

        var flagSelect = select.SelectMany(Split).ToList();
        var flagIgnore = ignore.SelectMany(Split).ToList();
        Validate(flagSelect, "--select");
        Validate(flagIgnore, "--ignore");
        if (flagSelect.Count > 0 || flagIgnore.Count > 0 || python is not null)
        {
            sources.Add("flags");
        }

        return options with
        {
            Select = flagSelect.Count > 0 ? flagSelect : options.Select,
            Ignore = flagIgnore.Count > 0 ? flagIgnore : options.Ignore,
            Python = python ?? options.Python,
            Source = string.Join(" < ", sources),
        };
    }

    private static IEnumerable<string> Split(string value) =>
        value.Split([',', ' '], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    // A pattern must name a rule or be a prefix of one ("DET", "LEAK00"): a typo must not silently select nothing.
    private static void Validate(IEnumerable<string> patterns, string where)
    {
        foreach (var pattern in patterns)
        {
            if (!LintRules.All.Any(r => r.Id.StartsWith(pattern, StringComparison.OrdinalIgnoreCase)))
            {
                throw ReproException.Usage($"{where}: unknown rule '{pattern}' (known: {string.Join(", ", LintRules.All.Select(r => r.Id))})");
            }
        }
    }
}
