using System.Globalization;
using Repro.Judging.Diffing;
using Repro.Model;
using Repro.Model.Verdicts;

namespace Repro.Judging.Verification;

/// <summary>
/// The likely causes of a verdict, most likely first: inputs changed in place, then the pillar
/// diff's causes (data, code, params, seed, packages, hardware, threads, variables), then
/// non-determinism seen here with what usually causes it.
/// </summary>
public static class CauseRanker
{
    public static List<Cause> Rank(RunManifest run, RunDifference difference, Verdict verdict, List<InputCheck> inputs, bool nondeterministic, List<string> disagreements, int runs)
    {
        var causes = new List<Cause>();
        foreach (var input in inputs.Where(i => i.Verdict != Verdict.Identical))
        {
            causes.Add(new Cause(CausePillar.Data, $"input {input.Path} changed since the run was recorded: sha256 {Short(input.Recorded)} → {Short(input.Current)}"));
        }

        if (verdict is not (Verdict.Identical or Verdict.Unverified) || nondeterministic)
        {
            causes.AddRange(difference.Causes.Where(c => c.Pillar != CausePillar.Data || inputs.Count == 0));
        }

        if (nondeterministic)
        {
            var hints = new List<string>();
            if (run.Seed is null)
            {
                hints.Add("no seed was set (record with --seed N and use REPRO_SEED or {seed} in the script)");
            }

            if (!run.Determinism.Enabled)
            {
                hints.Add("--deterministic was not used (thread counts, cuBLAS/cuDNN settings)");
            }

            hints.Add("a random generator not seeded from the seed (numpy, random, torch, an estimator without random_state), threaded or GPU reductions, or iteration over a set/dict of strings");
            var prefix = difference.PillarsSame
                ? string.Create(CultureInfo.InvariantCulture, $"nothing in the pillars differs, yet {runs} runs here disagree: the run is not deterministic here")
                : string.Create(CultureInfo.InvariantCulture, $"{runs} runs here disagree with each other");
            causes.Add(new Cause(CausePillar.Nondeterminism, $"{prefix} ({string.Join("; ", disagreements.Take(3))}); likely: {string.Join("; ", hints)}"));
        }

        return causes.OrderBy(c => c.Pillar).ToList();
    }

    private static string Short(string? hash) => hash is null ? "(none)" : hash.Length > 12 ? hash[..12] : hash;
}
