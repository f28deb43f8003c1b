using System.Globalization;
using Repro.Blobs.Storage;
using Repro.Model;
using Repro.Platform.Statistics;

namespace Repro.Judging.Studies;

/// <summary>
/// Compares two seed studies metric by metric (Welch's t-test, Mann–Whitney U, P(B better),
/// Cohen's d) and says "B is better than A" only when p &lt; 0.05 and P(B better) ≥ 0.75;
/// otherwise that there is no evidence of a difference at this sample size, and how many seeds
/// per side a t-test would need to detect the difference seen.
/// </summary>
public static class StudyComparer
{
    public const double Alpha = 0.05;

    public const double MinimumProbability = 0.75;

    public static string Rule { get; } = string.Create(
        CultureInfo.InvariantCulture,
        $"one side is better only when Welch's two-sided p < {Alpha} and P(its seed beats the other's) ≥ {MinimumProbability}");

    public static StudyComparison Compare(StoredRun a, StoredRun b, string? metric, bool? higherIsBetter)
    {
        var studyA = a.Manifest.Study ?? throw NotAStudy(a.Manifest);
        var studyB = b.Manifest.Study ?? throw NotAStudy(b.Manifest);
        if (a.Manifest.Id == b.Manifest.Id)
        {
            throw ReproException.Usage($"A and B are the same study ({a.Manifest.Id[..8]})");
        }

        var valuesA = Values(studyA);
        var valuesB = Values(studyB);
        var warnings = new List<string>();
        List<string> keys;
        if (metric is not null)
        {
            foreach (var (values, run) in new[] { (valuesA, a.Manifest), (valuesB, b.Manifest) })
            {
                if (!values.ContainsKey(metric))
                {
                    throw ReproException.Usage($"study {Label(run)} has no metric {metric} (it has: {Known(values)})");
                }
            }

            keys = [metric];
        }
        else
        {
            keys = valuesA.Keys.Intersect(valuesB.Keys).Order(StringComparer.Ordinal).ToList();
            if (keys.Count == 0)
            {
                throw ReproException.Usage($"the studies share no metric (A has: {Known(valuesA)}; B has: {Known(valuesB)})");
            }

            foreach (var only in valuesA.Keys.Except(valuesB.Keys).Concat(valuesB.Keys.Except(valuesA.Keys)).Order(StringComparer.Ordinal))
            {
                warnings.Add($"metric {only} is in one study only: not compared");
            }
        }

        var metrics = new List<MetricComparison>();
        foreach (var key in keys)
        {
            var higher = MetricDirection.HigherIsBetter(key, higherIsBetter);
            var test = TwoSample.Compare(valuesA[key], valuesB[key]);
            warnings.AddRange(test.Notes.Select(n => $"{key}: {n}").Where(n => !warnings.Contains(n)));
            metrics.Add(Conclude(key, higher, Descriptive.Summarise(valuesA[key]), Descriptive.Summarise(valuesB[key]), test));
        }

        return new StudyComparison
        {
            A = a.Manifest.Id,
            AName = a.Manifest.Name,
            ADigest = a.Digest,
            B = b.Manifest.Id,
            BName = b.Manifest.Name,
            BDigest = b.Digest,
            Metrics = metrics,
            Rule = Rule,
            Warnings = warnings,
        };
    }

    /// <summary>The verdict on one metric from its test results, in the metric's direction.</summary>
    public static MetricComparison Conclude(string key, bool higherIsBetter, SampleSummary a, SampleSummary b, TwoSampleComparison test)
    {
        var pBBetter = higherIsBetter ? test.ProbabilityBGreaterThanA : 1 - test.ProbabilityBGreaterThanA;
        var direction = higherIsBetter ? "higher is better" : "lower is better";
        string outcome;
        string conclusion;
        var delta = Math.Abs(test.Difference);
        if (test.WelchP is not { } p)
        {
            // No spread on either side: every seed of B against every seed of A says it all.
            outcome = test.Difference == 0 ? "no_evidence" : (test.Difference > 0) == higherIsBetter ? "b_better" : "a_better";
            conclusion = outcome switch
            {
                "no_evidence" => "no difference: every seed gave the same value on both sides",
                "b_better" => Invariant($"B is better than A in every seed, by {delta:G4} (no spread on either side, so the t-test is undefined; {direction})"),
                _ => Invariant($"A is better than B in every seed, by {delta:G4} (no spread on either side, so the t-test is undefined; {direction})"),
            };
        }
        else if (p < Alpha && pBBetter >= MinimumProbability)
        {
            outcome = "b_better";
            conclusion = Invariant($"B is better than A (p = {p:G3}, P(B better) = {pBBetter:0.00}; {direction})");
        }
        else if (p < Alpha && 1 - pBBetter >= MinimumProbability)
        {
            outcome = "a_better";
            conclusion = Invariant($"A is better than B (p = {p:G3}, P(A better) = {1 - pBBetter:0.00}; {direction})");
        }
        else
        {
            outcome = "no_evidence";
            var needed = test.RequiredNPerSide is { } n
                ? Invariant($"; a t-test would need about {Math.Ceiling(n):0} seeds per side to detect a difference of {delta:G3} at 80% power")
                : string.Empty;
            conclusion = Invariant($"no evidence that B differs from A at this sample size (p = {p:G3}, P(B better) = {pBBetter:0.00}, {test.NA} and {test.NB} seeds){needed}");
        }

        return new MetricComparison
        {
            Key = key,
            HigherIsBetter = higherIsBetter,
            A = a,
            B = b,
            Test = test,
            ProbabilityBBetter = pBBetter,
            Outcome = outcome,
            Conclusion = conclusion,
        };
    }

    /// <summary>Per metric, the values of the seeds that succeeded (NaN left out).</summary>
    public static Dictionary<string, List<double>> Values(StudyRecord study)
    {
        var result = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        foreach (var child in study.Children.Where(c => c.Status == RunStatus.Ok))
        {
            foreach (var (key, value) in child.Metrics.Where(m => !double.IsNaN(m.Value)))
            {
                if (!result.TryGetValue(key, out var list))
                {
                    result[key] = list = [];
                }

                list.Add(value);
            }
        }

        return result;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Known(Dictionary<string, List<double>> values) => values.Count == 0 ? "none" : string.Join(", ", values.Keys.Order(StringComparer.Ordinal));

    private static string Label(RunManifest run) => run.Name is null ? run.Id[..8] : $"{run.Id[..8]} ({run.Name})";

    private static ReproException NotAStudy(RunManifest run) =>
        ReproException.Usage($"run {Label(run)} is not a study: run `repro seeds {run.Name ?? run.Id[..8]} -n 5` first");
}
