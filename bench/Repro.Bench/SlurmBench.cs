using System.Diagnostics;
using System.Globalization;
using Repro.Tests.Shared;

namespace Repro.Bench;

/// <summary>
/// What the Slurm path costs per task: a 50-seed study of a `true`-like run
/// (`repro seeds RUN -n 50 --executor slurm`) against the same study run locally with `-j`
/// equal to the cores, and against Slurm's own floor, a bare `sbatch --array=0-49` of
/// /bin/true. Uses the Slurm controller that answers (a real cluster's, or the tests'); when none
/// does, starts the tests' single-node cluster (<see cref="SlurmCluster"/>: root, Debian's
/// slurm-wlm and munge) and stops what it started when done.
/// </summary>
public static class SlurmBench
{
    private const int Tasks = 50;

    public static async Task<IReadOnlyList<ResultRow>> RunAsync(BenchOptions options, string temp, TextWriter log, CancellationToken cancellationToken)
    {
        var cluster = new SlurmCluster();
        try
        {
            log.WriteLine("[slurm] starting (or joining) the single-node cluster");
            await cluster.StartAsync();
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or UnauthorizedAccessException or IOException)
        {
            return [new ResultRow("slurm: per-task overhead", "skipped: no Slurm controller answers and none could be started here: " + ex.Message.Split('\n')[0], "-", null, "-", null)];
        }

        try
        {
            return await MeasureAsync(options, temp, log, cancellationToken);
        }
        finally
        {
            await cluster.StopAsync();
        }
    }

    private static async Task<IReadOnlyList<ResultRow>> MeasureAsync(BenchOptions options, string temp, TextWriter log, CancellationToken cancellationToken)
    {
        var work = Path.Combine(temp, "slurm");
        Directory.CreateDirectory(work);
        await Measure.RunAsync(options.Repro, [.. options.ReproPrefix, "init"], work, cancellationToken);
        await Measure.RunAsync(options.Repro, [.. options.ReproPrefix, "run", "--quiet", "--name", "noop", "--seed", "1", "--", "true"], work, cancellationToken);

        log.WriteLine($"[slurm] bare sbatch --array=0-{Tasks - 1} of /bin/true");
        var bare = await BareArrayAsync(work, cancellationToken);
        log.WriteLine($"[slurm] repro seeds noop -n {Tasks} -j {Environment.ProcessorCount} (local)");
        var local = (await Measure.RunAsync(options.Repro, [.. options.ReproPrefix, "seeds", "noop", "-n", Tasks.ToString(CultureInfo.InvariantCulture), "-j", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)], work, cancellationToken)).Seconds;
        log.WriteLine($"[slurm] repro seeds noop -n {Tasks} --executor slurm");
        var slurm = (await Measure.RunAsync(options.Repro, [.. options.ReproPrefix, "seeds", "noop", "-n", Tasks.ToString(CultureInfo.InvariantCulture), "--executor", "slurm"], work, cancellationToken)).Seconds;

        var perTask = (slurm - bare) / Tasks;
        return
        [
            new ResultRow(
                string.Create(CultureInfo.InvariantCulture, $"`repro seeds RUN -n {Tasks} --executor slurm` of `true` ({Measure.Ms(slurm / Tasks)} per seed)"),
                Measure.Seconds(slurm),
                string.Create(CultureInfo.InvariantCulture, $"local `-j {Environment.ProcessorCount}`: {Measure.Seconds(local)}"),
                local / slurm,
                "-",
                null),
            new ResultRow(
                string.Create(CultureInfo.InvariantCulture, $"slurm: repro's per-task overhead over a bare array ({Measure.Ms(perTask)} per task)"),
                Measure.Seconds(slurm),
                string.Create(CultureInfo.InvariantCulture, $"`sbatch --array=0-{Tasks - 1}` of /bin/true: {Measure.Seconds(bare)}"),
                bare / slurm,
                "-",
                null),
        ];
    }

    /// <summary>Submits a bare array of /bin/true and waits, polling scontrol as repro does, until every task ended.</summary>
    private static async Task<double> BareArrayAsync(string work, CancellationToken cancellationToken)
    {
        var script = Path.Combine(work, "true.sh");
        await File.WriteAllTextAsync(script, "#!/bin/sh\nexec /bin/true\n", cancellationToken);
        var clock = Stopwatch.StartNew();
        var submit = await Measure.RunAsync("sbatch", ["--parsable", $"--array=0-{Tasks - 1}", "--output=/dev/null", "--chdir=" + work, script], work, cancellationToken);
        var job = submit.Stdout.Trim().Split(';')[0];
        while (true)
        {
            var show = await Measure.RunAsync("scontrol", ["-o", "show", "job", job], work, cancellationToken, check: false);
            var lines = show.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (show.ExitCode != 0 || (lines.Length == Tasks && lines.All(l => !l.Contains("JobState=PENDING", StringComparison.Ordinal) && !l.Contains("JobState=RUNNING", StringComparison.Ordinal) && !l.Contains("JobState=COMPLETING", StringComparison.Ordinal))))
            {
                return clock.Elapsed.TotalSeconds;
            }

            await Task.Delay(200, cancellationToken);
        }
    }
}
