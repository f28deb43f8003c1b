using System.Diagnostics;

namespace Repro.Cli.Tests.Faults;

/// <summary>
/// Starts the real repro and SIGKILLs it (with every process it started) after a delay: no
/// signal handler, no finally block, no flush runs, as when the kernel's OOM killer or a job
/// scheduler ends it. The delays come from a seeded <see cref="Random"/> so a failure replays.
/// </summary>
public static class Kill
{
    /// <summary>Whether repro was still running when the delay ran out (and so was killed).</summary>
    public static async Task<bool> AfterAsync(string directory, IReadOnlyDictionary<string, string?>? environment, TimeSpan delay, params string[] args)
    {
        using var process = ReproProcess.Start(directory, args, environment);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Close();
        var exited = process.WaitForExitAsync();
        if (await Task.WhenAny(exited, Task.Delay(delay)) == exited)
        {
            await Task.WhenAll(stdout, stderr);
            return false;
        }

        // Process.Kill sends SIGKILL on Unix.
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        await Task.WhenAll(stdout, stderr);
        return true;
    }

    /// <summary>How long the command takes when nothing stops it (to place the kills inside that window; never asserted).</summary>
    public static async Task<(TimeSpan Elapsed, ReproProcess.Result Result)> TimeAsync(string directory, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var clock = Stopwatch.StartNew();
        var result = await ReproProcess.RunWithAsync(directory, environment, null, args);
        return (clock.Elapsed, result);
    }

    /// <summary>A delay drawn uniformly between <paramref name="from"/> and <paramref name="to"/>.</summary>
    public static TimeSpan Between(Random random, TimeSpan from, TimeSpan to) =>
        from + ((to - from) * random.NextDouble());
}
