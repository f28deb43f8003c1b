using System.Globalization;
using System.Text;
using Repro.Blobs.Storage;
using Repro.Capture.Probe;
using Repro.Model;
using Repro.Model.Verdicts;
using static Repro.Server.Ui.Html;

namespace Repro.Server.Ui;

/// <summary>
/// The run page's probe section: seeds or RNG starts, thread pools, PyTorch's switches, each
/// estimator with its defaults, and the trace itself (read from the cache), with the first
/// divergence a verification found highlighted.
/// </summary>
public static class ProbeSection
{
    /// <summary>Calls of the trace shown at most; the rest are counted.</summary>
    private const int MaxCalls = 500;

    public static async Task RenderAsync(StringBuilder html, RunManifest run, IReadOnlyList<StoredVerification> verifications, ContentCache cache, CancellationToken cancellationToken)
    {
        if (run.Probe is not { } probe)
        {
            return;
        }

        html.Append("<h2 id=\"probe\">Probe</h2>\n");
        var facts = new List<(string, string)>
        {
            ("Trace", E(string.Create(CultureInfo.InvariantCulture, $"{probe.Calls} calls, {probe.Events} events, {probe.Processes} processes")) + (probe.Trace is { } blob ? " " + Hash(blob.Sha256) : string.Empty)
                + (probe.DroppedEvents > 0 ? E(string.Create(CultureInfo.InvariantCulture, $", {probe.DroppedEvents} events dropped")) : string.Empty)
                + (probe.PartialFingerprints > 0 ? E(string.Create(CultureInfo.InvariantCulture, $", {probe.PartialFingerprints} partial fingerprints")) : string.Empty)),
        };
        if (probe.Seeded.Count > 0)
        {
            facts.Add(("Seeded", E(string.Join(", ", probe.Seeded.Select(s => $"{s.Library}={Int(s.Seed)}")))));
        }

        if (probe.RngStarts.Count > 0)
        {
            facts.Add(("RNG starts (unseeded)", string.Join(", ", probe.RngStarts.Select(s => E(s.Library) + " " + Hash(s.State)))));
        }

        foreach (var pool in probe.ThreadPools)
        {
            facts.Add(("Thread pool", E($"{pool.Api} {pool.Library} {pool.Version}: {(pool.Threads is { } n ? Int(n) : "?")} threads ({pool.File}, {pool.Source})")));
        }

        if (probe.Torch is { } torch)
        {
            facts.Add(("PyTorch", E(string.Create(CultureInfo.InvariantCulture, $"{torch.Version}: use_deterministic_algorithms {torch.DeterministicAlgorithms}, cudnn.deterministic {torch.CudnnDeterministic}, cudnn.benchmark {torch.CudnnBenchmark}, {torch.NumThreads} threads"))));
        }

        Facts(html, facts);
        if (probe.Estimators.Count > 0)
        {
            Table(html, ["Estimator", "Set", "Left at default"], probe.Estimators.Select(e => (IReadOnlyList<string>)
            [
                $"<code title=\"{E(e.Class)}\">{E(e.Name)}</code>",
                E(string.Join(", ", e.Params.Where(p => !e.Defaults.Contains(p.Key)).Select(p => $"{p.Key}={p.Value}"))),
                $"<span class=\"muted\">{E(string.Join(", ", e.Params.Where(p => e.Defaults.Contains(p.Key)).Select(p => $"{p.Key}={p.Value}")))}</span>",
            ]), "estimators");
        }

        var divergences = verifications.Where(v => v.Report.FirstDivergence is not null).Select(v => (v.Report.Id, First: v.Report.FirstDivergence!)).ToList();
        foreach (var (id, first) in divergences)
        {
            html.Append("<p class=\"diverged\">first divergence (verification <code>").Append(E(ShortId(id))).Append("</code>): ").Append(E(first.Call)).Append("</p>\n<p>").Append(E(first.Summary)).Append("</p>\n");
        }

        if (probe.Trace is not { } trace || !cache.Contains(trace.Sha256))
        {
            return;
        }

        var calls = ProbeTraceReader.Parse(await cache.ReadAllBytesAsync(trace.Sha256, cancellationToken)).Calls;
        var marked = divergences.Select(d => (d.First.Process, d.First.Index)).ToHashSet();
        html.Append("<details open><summary>Trace: every traced call, in the order it completed</summary>\n");
        Table(html, ["#", "Process", "Call", "Inputs", "Outputs", "Fitted state"], calls.Take(MaxCalls).Select(c => (IReadOnlyList<string>)
        [
            (marked.Contains((c.Process, c.Position)) ? "<span class=\"diverged\">▶ " : "<span>") + E(Int(c.Position)) + "</span>",
            E(Int(c.Process)),
            (c.Depth > 0 ? "<span class=\"muted\">" + E(new string('·', c.Depth)) + "</span> " : string.Empty) + $"<code>{E(c.Label)}</code>",
            string.Join("<br>", c.Inputs.Select(i => E(i.Key) + ": " + Fingerprint(i.Value))),
            string.Join("<br>", c.Outputs.Select(Fingerprint)),
            c.State is { } state ? Fingerprint(state) : "–",
        ]), "trace");
        if (calls.Count > MaxCalls)
        {
            html.Append("<p class=\"muted\">").Append(E(string.Create(CultureInfo.InvariantCulture, $"{calls.Count - MaxCalls} more calls are in the trace blob"))).Append("</p>\n");
        }

        html.Append("</details>\n");
    }

    private static string Fingerprint(ProbeFingerprint f) =>
        E(f.Kind + (f.Dtype is null ? string.Empty : " " + f.Dtype) + (f.Shape.Count > 0 ? " [" + string.Join(", ", f.Shape.Select(n => n.ToString(CultureInfo.InvariantCulture))) + "]" : string.Empty)) + " " + Hash(f.Sha256) + (f.Partial ? " <span class=\"muted\">partial</span>" : string.Empty);
}
