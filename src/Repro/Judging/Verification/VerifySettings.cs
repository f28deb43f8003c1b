using System.Globalization;
using Repro.Capture.Metrics;
using Repro.Judging.Comparison;
using Repro.Model.Serialization;
using Repro.Recording;

namespace Repro.Judging.Verification;

/// <summary>
/// Builds <see cref="VerifyOptions"/> from three layers: built-in defaults (rtol 1e-5, atol 1e-8),
/// the <c>verify:</c> section of <c>repro.yaml</c> and of <c>.repro/config.yaml</c> in the workspace, a seed study's spread
/// (<c>--tolerance-from</c>), then command-line flags.
/// </summary>
public static class VerifySettings
{
    public const string FileName = "repro.yaml";

    /// <summary>Where a workspace's own settings live, beside the store's and the remotes'.</summary>
    public const string ConfigName = ".repro/config.yaml";

    public static VerifyOptions Build(string workspaceRoot, int runs, bool inPlace, double? rtol, double? atol, IReadOnlyList<string> metricTolerances, double? minAgreement, StudyTolerance? study = null, bool ignoreStdout = false, bool ignoreStderr = false)
    {
        var tolerance = Tolerance.Default;
        var metrics = new Dictionary<string, Tolerance>(StringComparer.Ordinal);
        var outputs = new Dictionary<string, Tolerance>(StringComparer.Ordinal);
        var agreement = 1.0;
        var sources = new List<string> { "defaults" };

        var judgeStdout = true;
        var judgeStderr = true;
        var masks = new List<TextMask>(TextMasks.BuiltIn);

        // The verify: section of repro.yaml, then of .repro/config.yaml (same keys; later wins).
        foreach (var (file, label) in new[] { (Path.Combine(workspaceRoot, FileName), FileName), (Path.Combine(workspaceRoot, ConfigName), ConfigName) })
        {
            if (!File.Exists(file))
            {
                continue;
            }

            List<KeyValuePair<string, string>> flat;
            try
            {
                flat = StructuredFile.FlattenYaml(BoundedFile.ReadAllText(file, YamlLimits.MaxFileBytes), file);
            }
            catch (FormatException ex)
            {
                throw ReproException.Usage(ex.Message);
            }

            var verify = flat.Where(p => p.Key.StartsWith("verify.", StringComparison.Ordinal)).ToList();
            if (verify.Count > 0)
            {
                sources.Add(label);
            }

            var outputRtol = new Dictionary<string, double>(StringComparer.Ordinal);
            var outputAtol = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (key, value) in verify)
            {
                var name = key["verify.".Length..];
                if (name == "rtol")
                {
                    tolerance = tolerance with { Rtol = Number(file, key, value) };
                }
                else if (name == "atol")
                {
                    tolerance = tolerance with { Atol = Number(file, key, value) };
                }
                else if (name == "min_agreement")
                {
                    agreement = Number(file, key, value);
                }
                else if (name == "stdout")
                {
                    judgeStdout = Boolean(file, key, value);
                }
                else if (name == "stderr")
                {
                    judgeStderr = Boolean(file, key, value);
                }
                else if (name.StartsWith("masks.", StringComparison.Ordinal) && name.Length > "masks.".Length)
                {
                    var mask = TextMasks.User(name["masks.".Length..], value, label);
                    masks.RemoveAll(m => m.Name == mask.Name);
                    masks.Add(mask);
                }
                else if (name.StartsWith("metrics.", StringComparison.Ordinal))
                {
                    metrics[name["metrics.".Length..]] = new Tolerance(0, Number(file, key, value));
                }
                else if (name.StartsWith("outputs.", StringComparison.Ordinal) && name.EndsWith(".rtol", StringComparison.Ordinal))
                {
                    outputRtol[name["outputs.".Length..^".rtol".Length]] = Number(file, key, value);
                }
                else if (name.StartsWith("outputs.", StringComparison.Ordinal) && name.EndsWith(".atol", StringComparison.Ordinal))
                {
                    outputAtol[name["outputs.".Length..^".atol".Length]] = Number(file, key, value);
                }
                else
                {
                    throw ReproException.Usage($"{file}: unknown setting {key} (known: verify.rtol, verify.atol, verify.min_agreement, verify.stdout, verify.stderr, verify.masks.NAME, verify.metrics.KEY, verify.outputs.PATH.rtol/atol)");
                }
            }

            foreach (var path in outputRtol.Keys.Union(outputAtol.Keys))
            {
                outputs[path] = new Tolerance(outputRtol.GetValueOrDefault(path, tolerance.Rtol), outputAtol.GetValueOrDefault(path, tolerance.Atol));
            }
        }

        if (study is not null)
        {
            sources.Add(study.Label);
            foreach (var (key, fromStudy) in study.Metrics)
            {
                metrics[key] = fromStudy;
            }
        }

        if (rtol is not null || atol is not null || metricTolerances.Count > 0 || minAgreement is not null)
        {
            sources.Add("flags");
        }

        tolerance = new Tolerance(rtol ?? tolerance.Rtol, atol ?? tolerance.Atol);
        foreach (var (key, value) in KeyValueArguments.Parse(metricTolerances, "--metric-tol"))
        {
            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var tol) || tol < 0 || double.IsNaN(tol))
            {
                throw ReproException.Usage($"--metric-tol {key}={value}: the tolerance must be a number ≥ 0");
            }

            metrics[key] = new Tolerance(0, tol);
        }

        if (tolerance.Rtol < 0 || tolerance.Atol < 0 || double.IsNaN(tolerance.Rtol) || double.IsNaN(tolerance.Atol))
        {
            throw ReproException.Usage("--rtol and --atol must be numbers ≥ 0");
        }

        agreement = minAgreement ?? agreement;
        if (agreement is < 0 or > 1 || double.IsNaN(agreement))
        {
            throw ReproException.Usage("--min-agreement must be between 0 and 1");
        }

        if (runs < 1)
        {
            throw ReproException.Usage("--runs must be 1 or more");
        }

        return new VerifyOptions
        {
            Runs = runs,
            InPlace = inPlace,
            Tolerance = tolerance,
            MetricTolerances = metrics,
            OutputTolerances = outputs,
            MinAgreement = agreement,
            ToleranceSource = string.Join(" < ", sources),
            ToleranceNotes = study?.Notes ?? [],
            JudgeStdout = judgeStdout && !ignoreStdout,
            JudgeStderr = judgeStderr && !ignoreStderr,
            Masks = masks,
        };
    }

    private static bool Boolean(string file, string key, string value) => value.ToLowerInvariant() switch
    {
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        _ => throw ReproException.Usage($"{file}: {key} must be true or false, got '{value}'"),
    };

    private static double Number(string file, string key, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= 0
            ? number
            : throw ReproException.Usage($"{file}: {key} must be a number ≥ 0, got '{value}'");
}
