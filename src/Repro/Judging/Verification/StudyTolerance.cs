using System.Globalization;
using Repro.Judging.Comparison;
using Repro.Model;

namespace Repro.Judging.Verification;

/// <summary>
/// Metric tolerances taken from a seed study's spread (<c>repro verify --tolerance-from STUDY --k K</c>):
/// each metric the study measured over two or more seeds may move by K·σ, σ its sample standard deviation.
/// </summary>
public sealed record StudyTolerance(string Label, IReadOnlyDictionary<string, Tolerance> Metrics, IReadOnlyList<string> Notes)
{
    public const double DefaultK = 2;

    public static StudyTolerance From(RunManifest study, double k)
    {
        var record = study.Study ?? throw ReproException.Usage($"run {study.Id[..8]} is not a study: --tolerance-from needs a study from `repro seeds`");
        if (!(k > 0) || !double.IsFinite(k))
        {
            throw ReproException.Usage("--k must be a number > 0");
        }

        var metrics = new SortedDictionary<string, Tolerance>(StringComparer.Ordinal);
        var notes = new List<string>();
        foreach (var (key, summary) in record.Statistics)
        {
            if (summary.StdDev is { } sigma)
            {
                metrics[key] = new Tolerance(0, k * sigma);
            }
            else
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"metric {key}: the study has {summary.N} value, no spread to take a tolerance from"));
            }
        }

        var label = string.Create(CultureInfo.InvariantCulture, $"study {study.Id[..8]} (k={k:G4}·σ)");
        return new StudyTolerance(label, metrics, notes);
    }
}
