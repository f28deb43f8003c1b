using System.Globalization;
using Repro.Judging.Diffing;
using Repro.Model;
using Repro.Model.Verdicts;

namespace Repro.Judging.Verification;

/// <summary>
/// With two or more re-runs here: whether they agree with each other (outputs by hash, metrics
/// exactly, printed text as verify judges it, exit codes). Disagreement here is
/// intra-environment non-determinism, whatever the original says.
/// </summary>
public static class ReproductionAgreement
{
    public static async Task<(bool Nondeterministic, List<string> Disagreements)> CompareAsync(List<RunManifest> runs, PrintedJudge printed, IReadOnlyList<string> streams, CancellationToken cancellationToken)
    {
        var disagreements = new List<string>();
        var first = runs[0];
        for (var i = 1; i < runs.Count; i++)
        {
            var other = runs[i];
            foreach (var output in first.Outputs)
            {
                var again = other.Outputs.FirstOrDefault(o => o.Path == output.Path);
                if (again?.Sha256 != output.Sha256)
                {
                    disagreements.Add(string.Create(CultureInfo.InvariantCulture, $"output {output.Path}: run 1 sha256 {Short(output.Sha256)}, run {i + 1} sha256 {Short(again?.Sha256)}"));
                }
            }

            foreach (var (key, value) in first.Metrics.Values)
            {
                if (!other.Metrics.Values.TryGetValue(key, out var again) || !again.Equals(value))
                {
                    disagreements.Add(string.Create(CultureInfo.InvariantCulture, $"metric {key}: run 1 {value:R}, run {i + 1} {(other.Metrics.Values.ContainsKey(key) ? again.ToString("R", CultureInfo.InvariantCulture) : "missing")}"));
                }
            }

            foreach (var stream in streams)
            {
                var judged = await printed.JudgeAsync(stream, first.Execution.Stream(stream), other.Execution.Stream(stream), cancellationToken);
                if (judged.Verdict == Verdict.Diverged)
                {
                    disagreements.Add(string.Create(CultureInfo.InvariantCulture, $"{stream}: run 1 and run {i + 1} printed different text ({judged.Detail})"));
                }
            }

            if (other.Execution.ExitCode != first.Execution.ExitCode)
            {
                disagreements.Add(string.Create(CultureInfo.InvariantCulture, $"exit code: run 1 {first.Execution.ExitCode}, run {i + 1} {other.Execution.ExitCode}"));
            }
        }

        return (disagreements.Count > 0, disagreements);
    }

    private static string Short(string? hash) => hash is null ? "(none)" : hash.Length > 12 ? hash[..12] : hash;
}
