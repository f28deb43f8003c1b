using System.Globalization;
using System.Text;
using Repro.Blobs.Storage;
using Repro.Execution;
using Repro.Model;
using Repro.Model.Serialization;

namespace Repro.Execution;

/// <summary>
/// Runs one command as a Slurm batch job and waits for it: the command runs on a cluster node
/// with the run's environment, its output is followed from the job's files as they grow, and
/// cancelling scancels the job. When repro can start itself on the node (the same binary on a
/// shared filesystem), the node's own environment is probed there, so a run or verification
/// records where it really ran. Assumes the workspace is on a filesystem the nodes share.
/// </summary>
public sealed class SlurmExecutor : IExecutor, IRemoteExecutor
{
    /// <summary>The hidden switch of <c>repro slurm-task</c> that writes the node's environment pillar to a file.</summary>
    public const string ProbeOption = "--probe-environment";

    /// <summary>With <see cref="ProbeOption"/>: the Python interpreter whose packages the node's pillar records.</summary>
    public const string ProbePythonOption = "--probe-python";

    private readonly SlurmOptions _options;
    private readonly IReadOnlyList<string>? _launcher;
    private readonly SlurmClient _slurm;
    private string? _job;
    private SlurmTask? _last;

    public SlurmExecutor(SlurmOptions options, IReadOnlyList<string>? launcher, SlurmClient? slurm = null)
    {
        _options = options;
        _launcher = launcher;
        _slurm = slurm ?? new SlurmClient();
    }

    public string Name => "slurm";

    /// <summary>How often the job and its output files are looked at.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    public EnvironmentSnapshot? RemoteEnvironment { get; private set; }

    public string? RemoteProblem { get; private set; }

    public async Task PrepareAsync(ExecutionSpec spec, CancellationToken cancellationToken)
    {
        _options.Validate();
        if (!File.Exists(spec.Process.Executable))
        {
            throw ReproException.CannotExecute($"cannot start '{spec.Process.Executable}': not found (the nodes must see it at the same path)");
        }

        await _slurm.CheckAsync(cancellationToken);
    }

    public async Task<ChildProcessResult> RunAsync(ExecutionSpec spec, Stream stdoutSink, Stream stderrSink, TimeProvider time, CancellationToken cancellationToken)
    {
        var reproDirectory = Path.Combine(spec.WorkspaceRoot, ".repro");
        var folder = Directory.Exists(reproDirectory)
            ? Path.Combine(reproDirectory, "tmp", "slurm-" + Guid.NewGuid().ToString("N")[..12])
            : Path.Combine(spec.WorkspaceRoot, ".repro-slurm-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        try
        {
            return await RunInAsync(folder, spec, stdoutSink, stderrSink, time, cancellationToken);
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    public ExecutorInfo Describe()
    {
        var details = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (_job is { } job)
        {
            details["job_id"] = job;
        }

        if (_last?.Node is { } node)
        {
            details["node"] = node;
        }

        if ((_last?.Partition ?? _options.Partition) is { } partition)
        {
            details["partition"] = partition;
        }

        if (_last?.State is { } state)
        {
            details["state"] = state;
        }

        return new ExecutorInfo { Name = Name, Details = details };
    }

    private async Task<ChildProcessResult> RunInAsync(string folder, ExecutionSpec spec, Stream stdoutSink, Stream stderrSink, TimeProvider time, CancellationToken cancellationToken)
    {
        var stdoutFile = Path.Combine(folder, "stdout");
        var stderrFile = Path.Combine(folder, "stderr");
        var environmentFile = Path.Combine(folder, "environment.json");
        var probeErrors = Path.Combine(folder, "probe.log");
        var script = new StringBuilder("#!/bin/sh\n# repro run on a Slurm node: probe the node (machine, variables, Python) in the job's environment, then the command itself.\n")
            .Append("cd ").Append(SlurmJobScript.ShellQuote(spec.Process.WorkingDirectory)).Append(" || exit 127\n");
        if (_launcher is { Count: > 0 })
        {
            script.Append("env -u REPRO_RUN_ID -u REPRO_DIR -u REPRO_METRICS_FILE ")
                .Append(string.Join(' ', _launcher.Select(SlurmJobScript.ShellQuote)))
                .Append(CultureInfo.InvariantCulture, $" {SlurmJobScript.TaskCommand} {ProbeOption} {SlurmJobScript.ShellQuote(environmentFile)}");
            if (spec.Python is { } python)
            {
                script.Append(CultureInfo.InvariantCulture, $" {ProbePythonOption} {SlurmJobScript.ShellQuote(python)}");
            }

            script.Append(CultureInfo.InvariantCulture, $" >/dev/null 2>{SlurmJobScript.ShellQuote(probeErrors)}\n");
        }

        script.Append("exec ").Append(string.Join(' ', new[] { spec.Process.Executable }.Concat(spec.Process.Arguments).Select(SlurmJobScript.ShellQuote))).Append('\n');
        var scriptFile = Path.Combine(folder, "job.sh");
        await AtomicFile.WriteAllTextAsync(scriptFile, script.ToString(), CancellationToken.None);
        await File.WriteAllBytesAsync(stdoutFile, [], CancellationToken.None);
        await File.WriteAllBytesAsync(stderrFile, [], CancellationToken.None);

        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        _job = await _slurm.SubmitAsync(
            new SlurmSubmission
            {
                Script = scriptFile,
                JobName = "repro-" + Path.GetFileName(spec.Command[0]),
                WorkingDirectory = spec.Process.WorkingDirectory,
                Output = stdoutFile,
                Error = stderrFile,
                Options = _options,
                Environment = SlurmJobScript.JobEnvironment(spec.Process.Environment),
            },
            CancellationToken.None);

        var stdout = new BoundedCapture(spec.Process.CaptureCapBytes);
        var stderr = new BoundedCapture(spec.Process.CaptureCapBytes);
        var outFollower = new FileFollower(stdoutFile, stdout, stdoutSink);
        var errFollower = new FileFollower(stderrFile, stderr, stderrSink);
        var cancelled = false;
        while (true)
        {
            if (cancellationToken.IsCancellationRequested && !cancelled)
            {
                cancelled = true;
                await _slurm.CancelAsync(_job, CancellationToken.None);
            }

            try
            {
                var states = await _slurm.ShowJobAsync(_job, CancellationToken.None);
                _last = states is { Count: > 0 } ? states[0] : (_last is null ? null : _last with { State = SlurmStates.Forgotten });
                if (states is null && _last is null)
                {
                    _last = new SlurmTask { ArrayJobId = _job, State = SlurmStates.Forgotten, ExitCode = 1 };
                }
            }
            catch (SlurmUnavailableException)
            {
                // The controller is busy or restarting: the job goes on; look again.
            }

            await outFollower.PumpAsync();
            await errFollower.PumpAsync();
            if (_last is { Ended: true })
            {
                break;
            }

            try
            {
                await Task.Delay(PollInterval, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }

        // The node may flush its last bytes just as the job ends.
        await outFollower.PumpAsync();
        await errFollower.PumpAsync();
        (RemoteEnvironment, RemoteProblem) = await ReadProbeAsync(environmentFile, probeErrors);

        var ended = _last!;
        var exit = ended.Signal > 0 ? 128 + ended.Signal : ended.ExitCode;
        if (exit == 0 && ended.State != "COMPLETED")
        {
            exit = cancelled ? 130 : 1;
        }

        return new ChildProcessResult
        {
            ExitCode = exit,
            StartedAt = startedAt,
            EndedAt = time.GetUtcNow(),
            WallSeconds = time.GetElapsedTime(started).TotalSeconds,
            Cancelled = cancelled,
            Stdout = stdout,
            Stderr = stderr,
        };
    }

    /// <summary>The node's pillar the job's probe wrote, or why there is none.</summary>
    private async Task<(EnvironmentSnapshot? Snapshot, string? Problem)> ReadProbeAsync(string environmentFile, string probeErrors)
    {
        if (_launcher is not { Count: > 0 })
        {
            return (null, "repro cannot start itself on the node (it does not run as the repro tool)");
        }

        if (File.Exists(environmentFile))
        {
            try
            {
                return (CanonicalJson.Deserialize<EnvironmentSnapshot>(await File.ReadAllTextAsync(environmentFile, CancellationToken.None)), null);
            }
            catch (System.Text.Json.JsonException ex)
            {
                return (null, "the node's probe wrote an unreadable file: " + ex.Message);
            }
        }

        var errors = File.Exists(probeErrors) ? (await File.ReadAllTextAsync(probeErrors, CancellationToken.None)).Trim() : string.Empty;
        return (null, errors.Length > 0 ? "the node's probe failed: " + errors.Split('\n')[^1].Trim() : "the node's probe wrote nothing (did the job start?)");
    }

    /// <summary>Copies what a job appended to one of its output files since the last look.</summary>
    private sealed class FileFollower(string path, BoundedCapture capture, Stream sink)
    {
        private long _offset;

        public async Task PumpAsync()
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (file.Length <= _offset)
            {
                return;
            }

            file.Seek(_offset, SeekOrigin.Begin);
            var buffer = new byte[81920];
            int read;
            while ((read = await file.ReadAsync(buffer)) > 0)
            {
                capture.Write(buffer.AsSpan(0, read));
                await sink.WriteAsync(buffer.AsMemory(0, read));
                _offset += read;
            }

            await sink.FlushAsync();
        }
    }
}
