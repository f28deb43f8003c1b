using System.Globalization;

namespace Repro.Bench;

/// <summary>
/// What the sandbox costs per run: `repro run --executor sandbox -- true` against `repro run -- true`
/// (local), whole processes, alternating so both see the same load; median of N each. The
/// difference is bubblewrap's namespaces and mounts plus repro's one-time probe of bwrap.
/// </summary>
public static class ExecutorBench
{
    private const double TargetOverheadSeconds = 0.1;

    public static async Task<IReadOnlyList<ResultRow>> RunAsync(BenchOptions options, string temp, TextWriter log, CancellationToken cancellationToken)
    {
        var work = Path.Combine(temp, "executor");
        Directory.CreateDirectory(work);
        await Measure.RunAsync(options.Repro, [.. options.ReproPrefix, "init"], work, cancellationToken);

        string[] local = [.. options.ReproPrefix, "run", "--quiet", "--", "true"];
        string[] sandbox = [.. options.ReproPrefix, "run", "--quiet", "--executor", "sandbox", "--", "true"];

        // Untimed first runs: the runtime, the assemblies and bwrap come from disk once.
        await Measure.RunAsync(options.Repro, local, work, cancellationToken);
        await Measure.RunAsync(options.Repro, sandbox, work, cancellationToken);

        var locals = new List<double>();
        var sandboxes = new List<double>();
        log.WriteLine($"[executor] {options.ProcessRuns} x `repro run -- true` and `repro run --executor sandbox -- true`");
        for (var i = 0; i < options.ProcessRuns; i++)
        {
            locals.Add((await Measure.RunAsync(options.Repro, local, work, cancellationToken)).Seconds);
            sandboxes.Add((await Measure.RunAsync(options.Repro, sandbox, work, cancellationToken)).Seconds);
        }

        var sandboxed = Measure.Median(sandboxes);
        var plain = Measure.Median(locals);
        var overhead = sandboxed - plain;
        return
        [
            new ResultRow(
                string.Create(CultureInfo.InvariantCulture, $"`repro run --executor sandbox -- true` (median of {options.ProcessRuns}; overhead {Measure.Ms(overhead)})"),
                Measure.Seconds(sandboxed),
                $"`repro run -- true` (local): {Measure.Seconds(plain)}",
                plain / sandboxed,
                $"overhead < {Measure.Ms(TargetOverheadSeconds)}",
                overhead < TargetOverheadSeconds),
        ];
    }
}
