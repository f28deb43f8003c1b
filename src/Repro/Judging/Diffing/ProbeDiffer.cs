using System.Globalization;
using Repro.Blobs.Storage;
using Repro.Capture.Probe;
using Repro.Model;
using Repro.Model.Verdicts;

namespace Repro.Judging.Diffing;

/// <summary>Loads two runs' traces from the cache and compares them (<see cref="TraceComparer"/>).</summary>
public static class ProbeDiffer
{
    /// <param name="packages">Distributions whose versions differ between the runs (name, A, B), to name a likely cause.</param>
    public static async Task<ProbeDifference> DiffAsync(ContentCache? cache, RunManifest a, RunManifest b, IReadOnlyList<(string Name, string? A, string? B)> packages, CancellationToken cancellationToken)
    {
        if (a.Probe is null && b.Probe is null)
        {
            return ProbeDifference.None;
        }

        if (a.Probe is null || b.Probe is null)
        {
            var without = a.Probe is null ? "first" : "second";
            return new ProbeDifference { Note = $"the {without} run was recorded without the probe (--no-probe, probe: false, not a Python command, or an older repro): no trace to compare" };
        }

        var parameters = TraceComparer.EstimatorParameters(a.Probe, b.Probe);
        var traceA = await LoadAsync(cache, a.Probe, cancellationToken);
        var traceB = await LoadAsync(cache, b.Probe, cancellationToken);
        if (traceA is null || traceB is null)
        {
            return new ProbeDifference { EstimatorParams = parameters, Note = "a probe trace is not in this cache: the first divergence cannot be searched for" };
        }

        var first = TraceComparer.FirstDivergence(traceA, traceB, packages);
        return new ProbeDifference
        {
            FirstDivergence = first,
            EstimatorParams = parameters,
            Note = first is null ? string.Create(CultureInfo.InvariantCulture, $"the probe traces agree on every traced call ({traceA.Calls.Count} in the first run, {traceB.Calls.Count} in the second)") : null,
        };
    }

    private static async Task<ProbeTrace?> LoadAsync(ContentCache? cache, ProbeRecord record, CancellationToken cancellationToken)
    {
        if (record.Trace is null)
        {
            return ProbeTraceReader.Parse([]);
        }

        if (cache is null || !cache.Contains(record.Trace.Sha256))
        {
            return null;
        }

        var bytes = await cache.ReadAllBytesAsync(record.Trace.Sha256, cancellationToken);
        return ProbeTraceReader.Parse(bytes);
    }
}
