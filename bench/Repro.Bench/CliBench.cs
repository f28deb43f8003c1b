using System.Globalization;

namespace Repro.Bench;

/// <summary>
/// (c) What `repro run` adds around a command: the median of `repro run -- true` minus the median
/// of a bare `true`, next to `repro --help` (the program's start-up alone).
/// </summary>
public static class CliBench
{
    private const double TargetSeconds = 0.3;

    public static async Task<IReadOnlyList<ResultRow>> RunAsync(BenchOptions options, string temp, TextWriter log, CancellationToken cancellationToken)
    {
        if (!File.Exists(options.ReproPath))
        {
            throw new FileNotFoundException($"{options.ReproPath} not found: build it with scripts/build-repro", options.ReproPath);
        }

        var work = Path.Combine(temp, "cli");
        Directory.CreateDirectory(work);
        var truePath = Measure.FindOnPath("true") ?? throw new InvalidOperationException("`true` is not on PATH");
        string[] run = [.. options.ReproPrefix, "run", "--quiet", "--", "true"];
        string[] help = [.. options.ReproPrefix, "--help"];

        await Measure.RunAsync(options.Repro, [.. options.ReproPrefix, "init"], work, cancellationToken);

        // One untimed run of each: the first start reads the runtime and assemblies from disk.
        await Measure.RunAsync(options.Repro, run, work, cancellationToken);
        await Measure.RunAsync(options.Repro, help, work, cancellationToken);
        await Measure.RunAsync(truePath, [], work, cancellationToken);

        var runs = new List<double>();
        var bare = new List<double>();
        var helps = new List<double>();
        log.WriteLine($"[cli] {options.ProcessRuns} x `repro run -- true`, `true` and `repro --help`");
        for (var i = 0; i < options.ProcessRuns; i++)
        {
            runs.Add((await Measure.RunAsync(options.Repro, run, work, cancellationToken)).Seconds);
            bare.Add((await Measure.RunAsync(truePath, [], work, cancellationToken)).Seconds);
            helps.Add((await Measure.RunAsync(options.Repro, help, work, cancellationToken)).Seconds);
        }

        var overhead = Measure.Median(runs) - Measure.Median(bare);
        var startup = Measure.Median(helps);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[cli] run {Measure.Median(runs) * 1000:0.0} ms, true {Measure.Median(bare) * 1000:0.0} ms, --help {startup * 1000:0.0} ms"));
        return
        [
            new ResultRow(
                $"`repro run -- true` overhead (median of {options.ProcessRuns})",
                $"{Measure.Ms(overhead)} ({Measure.Ms(Measure.Median(runs))} - bare `true` {Measure.Ms(Measure.Median(bare))})",
                $"`repro --help` (start-up only): {Measure.Ms(startup)}",
                startup / overhead,
                string.Create(CultureInfo.InvariantCulture, $"< {TargetSeconds * 1000:0} ms"),
                overhead < TargetSeconds),
        ];
    }
}
