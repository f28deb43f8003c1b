using System.Globalization;
using Repro.Model.Verdicts;

namespace Repro.Judging.Verification;

/// <summary>The one-line summary a verification carries (shown first, stored, exported): the verdict in words and what it rests on.</summary>
public static class VerificationSummary
{
    public static string Summarise(Verdict verdict, List<OutputJudgement> outputs, List<MetricJudgement> metrics, List<PrintedJudgement> printed, ExecutionJudgement execution, VerifyOptions options, bool nondeterministic, int runs)
    {
        var determinism = runs >= 2 ? (nondeterministic ? $"; {runs} runs here disagree" : $"; {runs} runs here agree") : string.Empty;
        if (verdict == Verdict.Unverified)
        {
            var skipped = new[] { options.JudgeStdout ? null : "stdout", options.JudgeStderr ? null : "stderr" }.OfType<string>().ToList();
            var printedText = skipped.Count == 0 ? "printed nothing" : skipped.Count == 2 ? "what it printed was not judged" : $"printed nothing on {(options.JudgeStdout ? "stdout" : "stderr")} ({skipped[0]} not judged)";
            return $"UNVERIFIED: nothing was compared: the run declares no outputs or metrics and {printedText}; only its exit code ({execution.OriginalExitCode.ToString(CultureInfo.InvariantCulture)}) matched, which says nothing about its results (record files with --out, metrics with --metrics, or print the result){determinism}";
        }

        var counts = outputs.Select(o => o.Verdict).Concat(metrics.Select(m => m.Verdict)).Concat(printed.Where(p => p.OriginalBytes > 0 || p.ReproducedBytes > 0).Select(p => p.Verdict))
            .GroupBy(v => v).OrderBy(g => g.Key).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count()} {g.Key.ToString().ToUpperInvariant()}"));
        var text = verdict switch
        {
            Verdict.Identical => "reproduced bit for bit",
            Verdict.Equivalent => "reproduced within tolerance",
            Verdict.Diverged => "did not reproduce",
            _ => $"could not be reproduced: {execution.Detail}",
        };
        var parts = string.Join(", ", counts);
        return $"{verdict.ToString().ToUpperInvariant()}: {text}{(parts.Length > 0 ? $" ({parts})" : string.Empty)}{determinism}";
    }
}
