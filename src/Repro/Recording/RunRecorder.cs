using System.Globalization;
using Repro.Blobs.Hashing;
using Repro.Blobs.Storage;
using Repro.Capture;
using Repro.Capture.Metrics;
using Repro.Capture.Probe;
using Repro.Execution;
using Repro.Model;
using Repro.Model.Serialization;
using Repro.Model.Workspaces;
using Repro.Platform.Diagnostics;

namespace Repro.Recording;

/// <summary>
/// Records one run from its checked <see cref="RunPlan"/>: captures code and data before the
/// command starts, runs it, then captures outputs, metrics and the environment, and seals the
/// manifest in one transaction. A failed command is recorded too; a problem in repro's input records nothing.
/// </summary>
public sealed class RunRecorder
{
    private static readonly HashSet<string> TreeSkips = new(StringComparer.Ordinal)
    {
        Workspace.DirectoryName, ".git", "__pycache__", ".ipynb_checkpoints", "node_modules", ".venv", "venv", ".mypy_cache", ".pytest_cache",
    };

    /// <summary>The step log REPRO_METRICS_FILE names, in the run's scratch folder.</summary>
    private const string MetricsLogName = "metrics.jsonl";

    private readonly Workspace _workspace;
    private readonly IRunStore _store;
    private readonly ContentCache _cache;
    private readonly ArtifactHasher _hasher;
    private readonly TimeProvider _time;

    public RunRecorder(Workspace workspace, IRunStore store, ContentCache cache, IStatCache statCache, TimeProvider time)
    {
        _workspace = workspace;
        _store = store;
        _cache = cache;
        _time = time;
        _hasher = new ArtifactHasher(cache, statCache, time);
    }

    /// <summary>Capture steps beside the recorder's own (the MLflow run link), in order.</summary>
    public IReadOnlyList<IRunObserver> Observers { get; init; } = [];

    /// <summary>Checks the request (<see cref="RunPlan.From"/>), then records it.</summary>
    public Task<RunOutcome> RecordAsync(RunRequest request, Stream stdout, Stream stderr, IProgress<HashProgress>? progress, CancellationToken interrupt) =>
        RecordAsync(RunPlan.From(request), stdout, stderr, progress, interrupt);

    /// <summary>
    /// Executes, captures and seals <paramref name="plan"/>. <paramref name="interrupt"/> is the
    /// user's Ctrl+C: it is forwarded to the command, and the interrupted run is still recorded.
    /// When recording fails, every observer hears of it.
    /// </summary>
    public async Task<RunOutcome> RecordAsync(RunPlan plan, Stream stdout, Stream stderr, IProgress<HashProgress>? progress, CancellationToken interrupt)
    {
        var planned = new List<IRunObserver>();
        var observers = Observers;
        if (plan.Probe.Enabled && !ProbeSettings.DisabledByConfig(_workspace.ConfigPath))
        {
            // The Python probe is the recorder's own step, first: it sees the plan before anyone else adds to it.
            observers = [new ProbeObserver(_workspace, _cache), .. Observers];
        }

        try
        {
            foreach (var observer in observers)
            {
                plan = await observer.PlanningAsync(plan, CancellationToken.None);
                planned.Add(observer);
            }

            var scratch = Path.Combine(_workspace.TempPath, plan.Id);
            Directory.CreateDirectory(scratch);
            try
            {
                return await RecordPlannedAsync(plan, scratch, observers, stdout, stderr, progress, interrupt);
            }
            finally
            {
                try
                {
                    Directory.Delete(scratch, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
        catch (Exception ex)
        {
            foreach (var observer in planned)
            {
                await observer.AbandonedAsync(plan, ex is OperationCanceledException, ex.Message.Split('\n')[0]);
            }

            throw;
        }
    }

    /// <summary>The stages of a run, in order: prepare, capture code and inputs, execute, capture results and environment, seal.</summary>
    private async Task<RunOutcome> RecordPlannedAsync(RunPlan plan, string scratch, IReadOnlyList<IRunObserver> observers, Stream stdout, Stream stderr, IProgress<HashProgress>? progress, CancellationToken interrupt)
    {
        var warnings = new List<string>();

        // The manifest's serializer metadata is built on the other core while git and the
        // command run, not after the command, where the save would wait for it.
        _ = CanonicalJson.PrepareInBackground(typeof(RunManifest));

        var (spec, determinism) = await PrepareAsync(plan, scratch);
        PhaseTimings.Mark("run: request checked, executor prepared");

        var code = await CaptureCodeAsync(plan.Deps.Concat(plan.Outs).Concat(plan.MetricsFiles).Select(p => p.Full).ToList(), progress, CancellationToken.None);
        PhaseTimings.Mark("run: code captured");
        if (code.OverBudget is { } over)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"{over.Files} untracked files ({ByteText.Of(over.Bytes)}, most in {over.Folder}/) are past the capture budget ({over.BudgetFiles} files, {ByteText.Of(over.BudgetBytes)}) and were listed, not kept: declare data with --dep, track it with `repro data add`, or add the folder to .gitignore"));
        }

        // A store still opening in the background must be usable before anything is hashed into
        // the cache or the command runs: what it does cannot be taken back.
        if (_store is OpeningRunStore opening)
        {
            await opening.WhenOpenAsync(CancellationToken.None);
            PhaseTimings.Mark("run: store ready");
        }

        var (deps, paramsFiles) = await CaptureInputsAsync(plan, progress);
        PhaseTimings.Mark("run: deps and params files hashed");

        var execution = await ExecuteAsync(plan, spec, stdout, stderr, interrupt);
        var (outputs, metrics) = await CaptureResultsAsync(plan, Path.Combine(scratch, MetricsLogName), warnings, progress);
        PhaseTimings.Mark("run: outputs and metrics captured");

        var (environment, executable) = await CaptureEnvironmentAsync(plan, spec, execution, warnings);
        PhaseTimings.Mark("run: python probed");

        var result = execution.Result;
        var stdoutBlob = await _cache.AddBytesAsync(result.Stdout.ToArray(), CancellationToken.None);
        var stderrBlob = await _cache.AddBytesAsync(result.Stderr.ToArray(), CancellationToken.None);
        if (result.Cancelled)
        {
            warnings.Add("interrupted: the command was stopped by Ctrl+C or a signal");
        }

        var manifest = new RunManifest
        {
            Id = plan.Id,
            Name = plan.Name,
            Kind = plan.Kind,
            ParentId = plan.ParentId,
            Status = result.ExitCode == 0 && !result.Cancelled ? RunStatus.Ok : RunStatus.Failed,
            CreatedAt = result.StartedAt,
            Code = code,
            Deps = deps,
            Outputs = outputs,
            Params = new SortedDictionary<string, string>(plan.Params.ToDictionary(), StringComparer.Ordinal),
            ParamsFiles = paramsFiles,
            Seed = plan.Seed,
            Determinism = determinism,
            Environment = environment,
            Metrics = metrics,
            Execution = new ExecutionRecord
            {
                Argv = plan.Argv,
                Command = plan.Command,
                Executable = executable,
                WorkingDir = _workspace.Relative(plan.WorkingDirectory),
                StartedAt = result.StartedAt,
                EndedAt = result.EndedAt,
                WallSeconds = result.WallSeconds,
                CpuSeconds = result.CpuSeconds,
                PeakRssBytes = result.PeakRssBytes,
                ExitCode = result.ExitCode,
                Cancelled = result.Cancelled,
                Executor = plan.Executor.Name,
                Stdout = Captured(result.Stdout, stdoutBlob),
                Stderr = Captured(result.Stderr, stderrBlob),
            },
            Tags = new SortedDictionary<string, string>(plan.Tags.ToDictionary(), StringComparer.Ordinal),
            Warnings = warnings,
        };

        foreach (var observer in observers)
        {
            manifest = await observer.SealingAsync(manifest, CancellationToken.None);
        }

        PhaseTimings.Mark("run: manifest built");
        var stored = await _store.SaveAsync(manifest, CancellationToken.None);
        PhaseTimings.Mark("run: manifest saved");
        return new RunOutcome(manifest, stored.Digest, result.ExitCode);
    }

    /// <summary>The child's environment and the execution spec; the executor checks it can run here before anything is recorded.</summary>
    private async Task<(ExecutionSpec Spec, DeterminismProfile Determinism)> PrepareAsync(RunPlan plan, string scratch)
    {
        var metricsLog = Path.Combine(scratch, MetricsLogName);
        var set = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (plan.Seed is { } seed)
        {
            foreach (var (key, value) in DeterminismSettings.SeedVariables(seed))
            {
                set[key] = value;
            }
        }

        if (plan.Deterministic)
        {
            foreach (var (key, value) in DeterminismSettings.ProfileVariables(plan.Environment))
            {
                set[key] = value;
            }
        }

        var environment = new SortedDictionary<string, string>(plan.Environment.ToDictionary(), StringComparer.Ordinal);
        foreach (var (key, value) in set)
        {
            environment[key] = value;
        }

        environment["REPRO_RUN_ID"] = plan.Id;
        environment["REPRO_DIR"] = _workspace.ReproDirectory;
        environment["REPRO_METRICS_FILE"] = metricsLog;
        environment.TryAdd("PYTHONUNBUFFERED", "1");

        // In an image the command is looked up on the image's PATH, by the engine.
        var command = plan.Command;
        var executable = plan.Executor is IImageExecutor ? command[0] : ExecutableResolver.Find(command[0], environment.GetValueOrDefault("PATH"), plan.WorkingDirectory)
            ?? throw ReproException.CannotExecute($"cannot start '{command[0]}': not found{(command[0].Contains('/', StringComparison.Ordinal) ? " or not executable" : " on PATH")}");
        var spec = new ExecutionSpec
        {
            Command = command,
            Process = new ChildProcessSpec { Executable = executable, Arguments = command.Skip(1).ToList(), WorkingDirectory = plan.WorkingDirectory, Environment = environment },
            WorkspaceRoot = _workspace.Root,
            // The scratch folder holds what the command writes for repro: the step-wise metrics log and the probe's trace.
            WritablePaths = plan.Outs.Concat(plan.MetricsFiles).Select(p => p.Full).Append(scratch).ToList(),
            ReadOnlyPaths = [_cache.Root, .. plan.SupportPaths],
            Python = plan.Python ?? (PythonProbe.IsPythonName(command[0]) ? executable : null),
        };
        await plan.Executor.PrepareAsync(spec, CancellationToken.None);
        return (spec, new DeterminismProfile { Enabled = plan.Deterministic, Variables = set });
    }

    /// <summary>Inputs and params files, hashed into the cache before the command can change them.</summary>
    private async Task<(List<ArtifactRecord> Deps, List<ArtifactRecord> ParamsFiles)> CaptureInputsAsync(RunPlan plan, IProgress<HashProgress>? progress)
    {
        var deps = new List<ArtifactRecord>();
        foreach (var dep in plan.Deps)
        {
            deps.Add(await _hasher.HashAsync(dep.Full, _workspace.Relative(dep.Full), store: true, progress, CancellationToken.None));
        }

        var paramsFiles = new List<ArtifactRecord>();
        foreach (var file in plan.ParamsFiles)
        {
            paramsFiles.Add(await _hasher.HashAsync(file.Full, _workspace.Relative(file.Full), store: true, null, CancellationToken.None));
        }

        return (deps, paramsFiles);
    }

    /// <summary>
    /// Runs the command. The machine probe reads /proc meanwhile, on the other core (it is
    /// synchronous until nvidia-smi, which it starts only when it exists), and a local interpreter
    /// is asked for its packages: the packages the run started with, off the critical path. A
    /// remote executor's node probes its own interpreter; the login machine's is asked only when
    /// that probe did not answer. repro's own per-run variables are recorded elsewhere in the
    /// manifest; keeping them out of the environment pillar keeps two runs' environments comparable.
    /// </summary>
    private async Task<Execution> ExecuteAsync(RunPlan plan, ExecutionSpec spec, Stream stdout, Stream stderr, CancellationToken interrupt)
    {
        var environment = spec.Process.Environment;
        var probed = environment.Where(v => v.Key is not ("REPRO_RUN_ID" or "REPRO_DIR" or "REPRO_METRICS_FILE")).ToList();
        var system = Task.Run(() => SystemProbe.CaptureAsync(probed, CancellationToken.None), CancellationToken.None);
        var localPython = spec.Python is null || plan.Executor is IImageExecutor || plan.Executor is IRemoteExecutor ? null : Task.Run(() => ProbeLocalPythonAsync(spec), CancellationToken.None);
        PhaseTimings.Mark("run: machine and python probes started");
        var result = await plan.Executor.RunAsync(spec, stdout, stderr, _time, interrupt);
        PhaseTimings.Mark("run: command ended");
        return new Execution(result, system, localPython);
    }

    /// <summary>Declared outputs and metrics, hashed into the cache after the command ended.</summary>
    private async Task<(List<ArtifactRecord> Outputs, MetricsRecord Metrics)> CaptureResultsAsync(RunPlan plan, string metricsLog, List<string> warnings, IProgress<HashProgress>? progress)
    {
        var outputs = new List<ArtifactRecord>();
        foreach (var output in plan.Outs)
        {
            var record = await _hasher.HashAsync(output.Full, _workspace.Relative(output.Full), store: true, progress, CancellationToken.None);
            if (record.Kind == ArtifactKind.Missing)
            {
                warnings.Add($"declared output {output.Given} was not produced");
            }

            outputs.Add(record);
        }

        var metrics = await ReadMetricsAsync(plan.MetricsFiles, metricsLog, warnings, CancellationToken.None);
        return (outputs, metrics);
    }

    /// <summary>
    /// The environment pillar: this machine's, or that of the machine an executor ran the command
    /// on (a Slurm node probed itself there), and the interpreter the command ran.
    /// </summary>
    private static async Task<(EnvironmentSnapshot Environment, string Executable)> CaptureEnvironmentAsync(RunPlan plan, ExecutionSpec spec, Execution execution, List<string> warnings)
    {
        var executable = spec.Process.Executable;
        var local = await execution.System;
        PhaseTimings.Mark("run: machine probe awaited");
        var remote = (plan.Executor as IRemoteExecutor)?.RemoteEnvironment;
        var snapshot = (remote ?? local) with { Executor = plan.Executor.Describe() };
        if (plan.Executor is IRemoteExecutor { RemoteProblem: { } problem } && remote is null)
        {
            warnings.Add($"the environment pillar is this machine's ({local.Hostname}), not that of the machine the command ran on: {problem}");
        }

        // The node probed its interpreter too: the login machine's Python may not be the node's.
        var python = spec.Python;
        if (python is null || (remote is not null && (remote.Python is not null || remote.Unknown.ContainsKey("python"))))
        {
            return (snapshot, executable);
        }

        var image = plan.Executor as IImageExecutor;
        var (info, error) = image is not null
            ? await image.ProbePythonAsync(spec, python, CancellationToken.None)
            : await (execution.LocalPython ?? ProbeLocalPythonAsync(spec));
        if (image is not null && info is not null && python == plan.Command[0])
        {
            // The interpreter the command ran, as a path inside the image.
            executable = info.Executable;
        }

        snapshot = info is not null
            ? snapshot with { Python = info }
            : snapshot with { Unknown = new SortedDictionary<string, string>(snapshot.Unknown.ToDictionary(), StringComparer.Ordinal) { ["python"] = error! } };
        return (snapshot, executable);
    }

    private static Task<(PythonInfo? Info, string? Error)> ProbeLocalPythonAsync(ExecutionSpec spec)
    {
        // The interpreter is asked about itself as the user's environment has it, without the run's probe.
        var environment = ProbeEnvironment.Without(spec.Process.Environment);
        return PythonProbe.ProbeAsync(
            ExecutableResolver.Find(spec.Python!, environment.GetValueOrDefault("PATH"), spec.Process.WorkingDirectory) ?? spec.Python!,
            spec.Process.WorkingDirectory,
            environment.ToDictionary(p => p.Key, p => (string?)p.Value),
            CancellationToken.None);
    }

    private async Task<CodeSnapshot> CaptureCodeAsync(List<string> declared, IProgress<HashProgress>? progress, CancellationToken cancellationToken)
    {
        var git = await new GitProbe(_cache).CaptureAsync(_workspace.Root, declared, cancellationToken, CaptureBudget.Read(_workspace.ConfigPath));
        if (git is not null)
        {
            return git;
        }

        // Outside git: list the working tree; small files are kept so the code can be restored.
        var declaredRelative = declared.Select(d => _workspace.Relative(d)).ToHashSet(StringComparer.Ordinal);
        var (sha, size, files) = await _hasher.HashDirectoryAsync(
            _workspace.Root,
            "working tree",
            store: true,
            progress,
            cancellationToken,
            skip: relative => TreeSkips.Contains(Path.GetFileName(relative)) || declaredRelative.Contains(relative),
            storeFile: (_, length) => length <= GitProbe.MaxUntrackedBytes);
        return new CodeSnapshot
        {
            Kind = "tree",
            Tree = new BlobRef(sha, size),
            FileCount = files,
            Note = $"not a git repository: the working tree is listed with hashes; files up to {GitProbe.MaxUntrackedBytes / (1 << 20)} MiB are kept in the cache",
        };
    }

    private async Task<MetricsRecord> ReadMetricsAsync(IReadOnlyList<PlannedPath> files, string stepLog, List<string> warnings, CancellationToken cancellationToken)
    {
        var values = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var steps = new SortedDictionary<string, IReadOnlyList<MetricStep>>(StringComparer.Ordinal);
        var sources = new List<ArtifactRecord>();

        var (logged, logWarnings) = MetricsReader.ReadStepLog(stepLog);
        warnings.AddRange(logWarnings);
        foreach (var (key, history) in logged)
        {
            steps[key] = history;
            values[key] = history.OrderBy(s => s.Step).Last().Value;
        }

        if (File.Exists(stepLog))
        {
            // Streamed into the cache: the command may have written gigabytes to it.
            sources.Add(await _hasher.HashAsync(stepLog, "$REPRO_METRICS_FILE", store: true, null, cancellationToken));
        }

        foreach (var (file, full) in files)
        {
            if (!File.Exists(full))
            {
                warnings.Add($"metrics file {file} was not produced");
                sources.Add(new ArtifactRecord { Path = _workspace.Relative(full), Kind = ArtifactKind.Missing });
                continue;
            }

            sources.Add(await _hasher.HashAsync(full, _workspace.Relative(full), store: true, null, cancellationToken));
            try
            {
                var (fileValues, fileSteps) = MetricsReader.ReadFile(full);
                foreach (var (key, value) in fileValues)
                {
                    values[key] = value;
                }

                foreach (var (key, history) in fileSteps)
                {
                    steps[key] = history;
                }
            }
            catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
            {
                warnings.Add($"metrics file {file} could not be read, run recorded without its values: {ex.Message}");
            }
        }

        return new MetricsRecord { Values = values, Steps = steps, Sources = sources };
    }

    /// <summary>What the command's run left to capture: its result and the probes started beside it.</summary>
    private sealed record Execution(ChildProcessResult Result, Task<EnvironmentSnapshot> System, Task<(PythonInfo? Info, string? Error)>? LocalPython);

    private static CapturedOutput Captured(BoundedCapture capture, BlobRef blob) => new()
    {
        Sha256 = blob.Sha256,
        Size = blob.Size,
        TotalBytes = capture.TotalBytes,
        Truncated = capture.Truncated,
        CapBytes = capture.CapBytes,
    };
}
