using System.Globalization;
using Repro.Capture.Metrics;
using Repro.Model.Serialization;

namespace Repro.Checks.Leakage;

/// <summary>
/// Builds <see cref="LeakThresholds"/> from three layers: built-in defaults, the <c>leak:</c>
/// section of <c>repro.yaml</c>, then command-line flags.
/// </summary>
public static class LeakSettings
{
    public const string FileName = "repro.yaml";

    private static readonly string[] Known = ["auc_threshold", "nmi_threshold", "shift_threshold", "sample_size"];

    /// <param name="configPath">The repro.yaml to read, or null (or a missing file) for none.</param>
    public static LeakThresholds Build(string? configPath, double? auc, double? nmi, double? shift, int? sampleSize)
    {
        var thresholds = LeakThresholds.Default;
        var sources = new List<string> { "defaults" };
        if (configPath is not null && File.Exists(configPath))
        {
            List<KeyValuePair<string, string>> flat;
            try
            {
                flat = StructuredFile.FlattenYaml(BoundedFile.ReadAllText(configPath, YamlLimits.MaxFileBytes), configPath);
            }
            catch (FormatException ex)
            {
                throw ReproException.Usage(ex.Message);
            }

            var leak = flat.Where(p => p.Key.StartsWith("leak.", StringComparison.Ordinal)).ToList();
            if (leak.Count > 0)
            {
                sources.Add(FileName);
            }

            foreach (var (key, value) in leak)
            {
                thresholds = key["leak.".Length..] switch
                {
                    "auc_threshold" => thresholds with { Auc = Share(configPath, key, value) },
                    "nmi_threshold" => thresholds with { Nmi = Share(configPath, key, value) },
                    "shift_threshold" => thresholds with { Shift = Share(configPath, key, value) },
                    "sample_size" => thresholds with { SampleSize = Count(configPath, key, value) },
                    _ => throw ReproException.Usage($"{configPath}: unknown setting {key} (known: {string.Join(", ", Known.Select(k => "leak." + k))})"),
                };
            }
        }

        if (auc is not null || nmi is not null || shift is not null || sampleSize is not null)
        {
            sources.Add("flags");
        }

        thresholds = thresholds with
        {
            Auc = auc is { } a ? Check("--auc-threshold", a) : thresholds.Auc,
            Nmi = nmi is { } n ? Check("--nmi-threshold", n) : thresholds.Nmi,
            Shift = shift is { } s ? Check("--shift-threshold", s) : thresholds.Shift,
            SampleSize = sampleSize is { } size ? (size >= 2 ? size : throw ReproException.Usage("--sample-size must be 2 or more")) : thresholds.SampleSize,
            Source = string.Join(" < ", sources),
        };
        return thresholds;
    }

    private static double Check(string flag, double value) =>
        value is >= 0 and <= 1 ? value : throw ReproException.Usage(string.Create(CultureInfo.InvariantCulture, $"{flag} must be between 0 and 1, got {value}"));

    private static double Share(string file, string key, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number is >= 0 and <= 1
            ? number
            : throw ReproException.Usage($"{file}: {key} must be a number between 0 and 1, got '{value}'");

    private static int Count(string file, string key, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number >= 2
            ? number
            : throw ReproException.Usage($"{file}: {key} must be a whole number ≥ 2, got '{value}'");
}
