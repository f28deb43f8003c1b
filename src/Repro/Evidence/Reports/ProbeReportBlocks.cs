using System.Globalization;
using Repro.Capture.Probe;
using Repro.Model.Verdicts;

namespace Repro.Evidence.Reports;

/// <summary>
/// What the in-process probe saw, for a report: seeds, thread pools, PyTorch's switches, each
/// estimator with its defaults, and the trace (short hashes), the first divergence of a
/// verification marked. Shown inside the environment section: it is what the process ran with.
/// </summary>
public static class ProbeReportBlocks
{
    /// <summary>Calls of the trace a report lists at most.</summary>
    public const int MaxCalls = 200;

    public static IReadOnlyList<ReportBlock> For(ReportData data)
    {
        if (data.Run.Probe is not { } probe)
        {
            return [];
        }

        var blocks = new List<ReportBlock> { new ReportBlock.Subheading("Inside the Python process (the probe)") };
        var facts = new List<(string, string)>
        {
            ("trace", string.Create(CultureInfo.InvariantCulture, $"{probe.Calls} calls, {probe.Events} events, {probe.Processes} processes, {probe.DroppedEvents} events dropped, {probe.PartialFingerprints} partial fingerprints")),
            ("seeded", probe.Seeded.Count == 0 ? "nothing (no --seed)" : string.Join(", ", probe.Seeded.Select(s => $"{s.Library}={s.Seed.ToString(CultureInfo.InvariantCulture)}"))),
        };
        if (probe.RngStarts.Count > 0)
        {
            facts.Add(("RNG starts", string.Join(", ", probe.RngStarts.Select(s => $"{s.Library} {Short(s.State)}"))));
        }

        foreach (var pool in probe.ThreadPools)
        {
            facts.Add(("thread pool", $"{pool.Api} {pool.Library} {pool.Version}: {(pool.Threads is { } n ? n.ToString(CultureInfo.InvariantCulture) : "?")} threads ({pool.Source})"));
        }

        if (probe.Torch is { } torch)
        {
            facts.Add(("PyTorch", string.Create(CultureInfo.InvariantCulture, $"{torch.Version}: use_deterministic_algorithms {torch.DeterministicAlgorithms}, cudnn.deterministic {torch.CudnnDeterministic}, cudnn.benchmark {torch.CudnnBenchmark}, {torch.NumThreads} threads")));
        }

        blocks.Add(new ReportBlock.Facts(facts));
        if (probe.Estimators.Count > 0)
        {
            blocks.Add(new ReportBlock.Table(["estimator", "set", "left at default"], probe.Estimators.Select(e => (IReadOnlyList<string>)
            [
                e.Name,
                string.Join(", ", e.Params.Where(p => !e.Defaults.Contains(p.Key)).Select(p => $"{p.Key}={p.Value}")),
                string.Join(", ", e.Params.Where(p => e.Defaults.Contains(p.Key)).Select(p => $"{p.Key}={p.Value}")),
            ]).ToList(), new HashSet<int> { 0 }));
        }

        var first = data.Verification?.FirstDivergence;
        if (first is not null)
        {
            blocks.Add(new ReportBlock.Paragraph($"First divergence: {first.Call} (traced call {first.Index.ToString(CultureInfo.InvariantCulture)}): {first.Summary}"));
        }

        if (data.ProbeCalls.Count > 0)
        {
            blocks.Add(new ReportBlock.Table(["#", "call", "inputs", "outputs", "fitted state"], data.ProbeCalls.Take(MaxCalls).Select(c => (IReadOnlyList<string>)
            [
                (first is not null && first.Process == c.Process && first.Index == c.Position ? "▶ " : string.Empty) + c.Position.ToString(CultureInfo.InvariantCulture) + (c.Process > 0 ? $" (process {c.Process.ToString(CultureInfo.InvariantCulture)})" : string.Empty),
                c.Label,
                string.Join("; ", c.Inputs.Select(i => $"{i.Key}: {Describe(i.Value)}")),
                string.Join("; ", c.Outputs.Select(Describe)),
                c.State is { } state ? Describe(state) : "–",
            ]).ToList(), new HashSet<int> { 1 }));
        }

        return blocks;
    }

    private static string Describe(ProbeFingerprint f) =>
        $"{f.Kind}{(f.Dtype is null ? string.Empty : " " + f.Dtype)}{(f.Shape.Count > 0 ? " [" + string.Join(", ", f.Shape.Select(n => n.ToString(CultureInfo.InvariantCulture))) + "]" : string.Empty)} {Short(f.Sha256)}{(f.Partial ? " partial" : string.Empty)}";

    private static string Short(string sha) => sha.Length > 12 ? sha[..12] : sha;
}
