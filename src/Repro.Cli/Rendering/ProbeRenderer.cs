using System.Globalization;
using Repro.Judging.Diffing;
using Repro.Model;
using Repro.Model.Verdicts;

namespace Repro.Cli.Rendering;

/// <summary>The probe's part of <c>repro show</c>, <c>repro diff</c> and <c>repro verify</c>: seeds, estimators with their defaults, thread pools, the first divergence.</summary>
public static class ProbeRenderer
{
    public static void Render(TextWriter w, ProbeRecord? probe)
    {
        // A run without the probe (not Python, --no-probe) shows no section: its show is as before.
        if (probe is null)
        {
            return;
        }

        w.WriteLine();
        w.WriteLine("probe");

        var trace = probe.Trace is { } blob ? $"sha256 {Format.Short(blob.Sha256)}, {Format.Bytes(blob.Size)}" : "empty";
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  trace        {probe.Calls} calls, {probe.Events} events, {probe.Processes} process{(probe.Processes == 1 ? string.Empty : "es")} ({trace}){(probe.DroppedEvents > 0 ? $", {probe.DroppedEvents} events dropped" : string.Empty)}{(probe.PartialFingerprints > 0 ? $", {probe.PartialFingerprints} partial fingerprints" : string.Empty)}"));
        if (probe.Seeded.Count > 0)
        {
            w.WriteLine($"  seeded       {string.Join(", ", probe.Seeded.Select(s => $"{s.Library}={s.Seed.ToString(CultureInfo.InvariantCulture)}"))}");
        }

        if (probe.RngStarts.Count > 0)
        {
            w.WriteLine($"  rng starts   {string.Join(", ", probe.RngStarts.Select(s => $"{s.Library} {Format.Short(s.State)}"))} (unseeded: pass --seed N to seed them)");
        }

        foreach (var pool in probe.ThreadPools)
        {
            w.WriteLine($"  threads      {pool.Api} {pool.Library}{(pool.Version is null ? string.Empty : " " + pool.Version)}: {(pool.Threads is { } n ? n.ToString(CultureInfo.InvariantCulture) : "?")} threads ({pool.File}, from {pool.Source})");
        }

        if (probe.Torch is { } torch)
        {
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  torch        {torch.Version}: use_deterministic_algorithms {torch.DeterministicAlgorithms}, cudnn.deterministic {torch.CudnnDeterministic}, cudnn.benchmark {torch.CudnnBenchmark}, {torch.NumThreads} threads{(torch.Cuda ? ", CUDA" : string.Empty)}"));
        }

        foreach (var estimator in probe.Estimators)
        {
            var set = estimator.Params.Where(p => !estimator.Defaults.Contains(p.Key)).Select(p => $"{p.Key}={p.Value}").ToList();
            var defaults = estimator.Params.Where(p => estimator.Defaults.Contains(p.Key)).Select(p => $"{p.Key}={p.Value}").ToList();
            w.WriteLine($"  estimator    {estimator.Name}: set {(set.Count == 0 ? "nothing" : string.Join(", ", set))}");
            if (defaults.Count > 0)
            {
                w.WriteLine($"               defaults {string.Join(", ", defaults)}");
            }
        }
    }

    /// <summary>The first divergence, or why there is none, for diff and verify.</summary>
    public static void RenderDivergence(TextWriter w, FirstDivergence? first, string? note)
    {
        if (first is null && note is null)
        {
            return;
        }

        w.WriteLine();
        if (first is null)
        {
            w.WriteLine($"probe: {note}");
            return;
        }

        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first divergence: {first.Call} (traced call {first.Index}{(first.Process > 0 ? $" of child process {first.Process}" : string.Empty)})"));
        w.WriteLine($"  {first.Summary}");
    }

    public static void RenderParameters(TextWriter w, IReadOnlyList<EstimatorParameterDifference> parameters)
    {
        if (parameters.Count == 0)
        {
            return;
        }

        w.WriteLine();
        w.WriteLine("estimator parameters");
        foreach (var p in parameters)
        {
            w.WriteLine($"  {p.Estimator}.{p.Parameter}: {p.A ?? "(none)"} → {p.B ?? "(none)"}{(p.ChangedDefault ? "   (changed default: the library's default differs)" : string.Empty)}");
        }
    }
}
