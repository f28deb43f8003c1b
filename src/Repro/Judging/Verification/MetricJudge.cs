using Repro.Judging.Comparison;
using Repro.Model.Verdicts;

namespace Repro.Judging.Verification;

/// <summary>Judges every recorded metric against the re-run's value with its tolerance (numpy.isclose); a metric the re-run lacks diverges.</summary>
public static class MetricJudge
{
    public static List<MetricJudgement> Judge(IReadOnlyDictionary<string, double> original, IReadOnlyDictionary<string, double> reproduced, VerifyOptions options)
    {
        var result = new List<MetricJudgement>();
        foreach (var (key, value) in original.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var tolerance = options.MetricTolerances.GetValueOrDefault(key) ?? options.Tolerance;
            if (!reproduced.TryGetValue(key, out var again))
            {
                result.Add(new MetricJudgement { Key = key, Original = value, Reproduced = null, Tolerance = tolerance.ToString(), Rtol = tolerance.Rtol, Atol = tolerance.Atol, Verdict = Verdict.Diverged });
                continue;
            }

            var verdict = value.Equals(again) ? Verdict.Identical : tolerance.Within(value, again) ? Verdict.Equivalent : Verdict.Diverged;
            result.Add(new MetricJudgement { Key = key, Original = value, Reproduced = again, Delta = again - value, Tolerance = tolerance.ToString(), Rtol = tolerance.Rtol, Atol = tolerance.Atol, Verdict = verdict });
        }

        return result;
    }
}
