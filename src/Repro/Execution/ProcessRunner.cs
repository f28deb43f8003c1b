using System.Diagnostics;
using Repro.Platform;

namespace Repro.Execution;

/// <summary>
/// Runs the user's command like <c>time</c> does: stdin passed through, stdout/stderr streamed
/// live to the given sinks while a bounded copy is kept, cancellation forwarded to the child as
/// SIGINT (then SIGTERM, then kill), CPU time and peak memory measured.
/// </summary>
public static class ProcessRunner
{
    private static readonly TimeSpan FirstSample = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(10);

    public static async Task<ChildProcessResult> RunAsync(ChildProcessSpec spec, Stream stdoutSink, Stream stderrSink, TimeProvider time, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(spec.Executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            WorkingDirectory = spec.WorkingDirectory,
        };
        foreach (var argument in spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Clear();
        foreach (var (key, value) in spec.Environment)
        {
            info.Environment[key] = value;
        }

        var before = LibC.ChildrenCpuSeconds();
        using var process = new Process { StartInfo = info };
        var startedAt = time.GetUtcNow();
        var startTicks = time.GetTimestamp();
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw ReproException.CannotExecute($"cannot start {spec.Executable}: {ex.Message}");
        }

        var stdout = new BoundedCapture(spec.CaptureCapBytes);
        var stderr = new BoundedCapture(spec.CaptureCapBytes);
        var pumpOut = PumpAsync(process.StandardOutput.BaseStream, stdoutSink, stdout);
        var pumpErr = PumpAsync(process.StandardError.BaseStream, stderrSink, stderr);

        long peakTree = 0;
        var cancelled = false;
        using var sampler = new CancellationTokenSource();
        var sampling = Task.Run(
            async () =>
            {
                // The first sample waits a little: right after fork the child still shows the
                // parent's pages until it execs.
                var delay = FirstSample;
                while (!sampler.IsCancellationRequested)
                {
                    try
                    {
                        await Task.Delay(delay, time, sampler.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }

                    peakTree = Math.Max(peakTree, ProcessTreeSampler.PeakBytes(process.Id));
                    delay = SampleInterval;
                }
            },
            CancellationToken.None);

        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            cancelled = true;
            await InterruptAsync(process, time);
        }

        await sampler.CancelAsync();
        await Task.WhenAll(pumpOut, pumpErr, sampling);
        var endTicks = time.GetTimestamp();
        var after = LibC.ChildrenCpuSeconds();

        double? cpu = before is { } b && after is { } a ? Math.Max(0, a - b) : null;
        long? peak = peakTree > 0 ? peakTree : null;
        return new ChildProcessResult
        {
            ExitCode = process.ExitCode,
            StartedAt = startedAt,
            EndedAt = startedAt + time.GetElapsedTime(startTicks, endTicks),
            WallSeconds = time.GetElapsedTime(startTicks, endTicks).TotalSeconds,
            CpuSeconds = cpu,
            PeakRssBytes = peak,
            Cancelled = cancelled,
            Stdout = stdout,
            Stderr = stderr,
        };
    }

    private static async Task InterruptAsync(Process process, TimeProvider time)
    {
        // A Ctrl+C at the terminal reaches the child directly (same process group): give it a
        // moment before forwarding, so it is not interrupted twice while cleaning up.
        if (await WaitAsync(process, TimeSpan.FromMilliseconds(500), time))
        {
            return;
        }

        if (!OperatingSystem.IsWindows())
        {
            LibC.Kill(process.Id, LibC.SigInt);
            if (await WaitAsync(process, InterruptGrace, time))
            {
                return;
            }

            LibC.Kill(process.Id, LibC.SigTerm);
            if (await WaitAsync(process, InterruptGrace / 2, time))
            {
                return;
            }
        }

        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }

        await process.WaitForExitAsync(CancellationToken.None);
    }

    private static async Task<bool> WaitAsync(Process process, TimeSpan timeout, TimeProvider time)
    {
        using var limit = new CancellationTokenSource(timeout, time);
        try
        {
            await process.WaitForExitAsync(limit.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task PumpAsync(Stream source, Stream sink, BoundedCapture capture)
    {
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await source.ReadAsync(buffer)) > 0)
        {
            capture.Write(buffer.AsSpan(0, read));
            try
            {
                await sink.WriteAsync(buffer.AsMemory(0, read));
                await sink.FlushAsync();
            }
            catch (IOException)
            {
                // The terminal went away (closed pipe): keep recording.
            }
        }
    }
}
