using Repro.Capture;
using Repro.Diagnostics;
using Repro.Domain;
using Repro.Execution;
using Repro.Hashing;
using Repro.Metrics;
using Repro.Serialization;
using Repro.Storage;
using Repro.Workspaces;

namespace Repro.Runs;

/// <summary>
/// Records one run: checks the request, captures code and data before the command starts,
/// runs it, then captures outputs, metrics and the environment, and saves the manifest in one
/// transaction. A failed command is recorded too; a problem in repro's input records nothing.
/// </summary>
public sealed class RunRecorder
{
    private static readonly HashSet<string> TreeSkips = new(StringComparer.Ordinal)
    {
        Workspace.DirectoryName, ".git", "__pycache__", ".ipynb_checkpoints", "node_modules", ".venv", "venv", ".mypy_cache", ".pytest_cache",
    };

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

    /// <summary>
    /// Awaited once the code is captured, before the data is hashed and the command starts: the
    /// moment to refuse if a store still being opened in the background turns out unusable.
    /// </summary>
    public Func<CancellationToken, Task>? BeforeData { get; init; }

    /// <summary>Last changes to the manifest before it is saved (what the command logged through the MLflow API).</summary>
    public Func<RunManifest, CancellationToken, Task<RunManifest>>? BeforeSave { get; init; }

    /// <summary>
    /// Runs and records. <paramref name="interrupt"/> is the user's Ctrl+C: it is forwarded to
    /// the command, and the interrupted run is still recorded.
    /// </summary>
    public async Task<RunOutcome> RecordAsync(RunRequest request, Stream stdout, Stream stderr, IProgress<HashProgress>? progress, CancellationToken interrupt)
    {
        // 1. Check everything that can be checked before anything runs or is stored.
        if (request.Command.Count == 0 || request.Command[0].Length == 0)
        {
            throw ReproException.Usage("no command given: repro run [OPTIONS] -- COMMAND [ARGS...]");
        }

        if (request.Name is { } name && (name.Trim().Length == 0 || name.StartsWith('@')))
        {
            throw ReproException.Usage($"invalid run name '{name}': it must not be empty or start with '@'");
        }

        string Full(string path) => Path.GetFullPath(path, request.WorkingDirectory);

        // {seed} in an output or metrics path lets runs with different seeds write side by side.
        request = request with
        {
            Outs = DeterminismSettings.Substitute(request.Outs, request.Seed, "--out"),
            MetricsFiles = DeterminismSettings.Substitute(request.MetricsFiles, request.Seed, "--metrics"),
        };
        var parameters = KeyValueArguments.Parse(request.Params, "--param");
        var tags = KeyValueArguments.Parse(request.Tags, "--tag");
        var command = DeterminismSettings.Substitute(request.Command, request.Seed);
        var deps = request.Deps.Select(Full).ToList();
        foreach (var (dep, given) in deps.Zip(request.Deps))
        {
            if (!File.Exists(dep) && !Directory.Exists(dep))
            {
                throw ReproException.Usage($"dependency not found: {given}");
            }
        }

        var paramsFiles = request.ParamsFiles.Select(Full).ToList();
        foreach (var (file, given) in paramsFiles.Zip(request.ParamsFiles))
        {
            if (!File.Exists(file))
            {
                throw ReproException.Usage($"params file not found: {given}");
            }

            try
            {
                foreach (var (key, value) in StructuredFile.Flatten(file))
                {
                    if (key.Length > 0 && !parameters.ContainsKey(key))
                    {
                        parameters[key] = value;
                    }
                }
            }
            catch (FormatException ex)
            {
                throw ReproException.Usage($"params file {ex.Message}");
            }
        }

        var id = request.Id ?? RunId.New();
        var scratch = Path.Combine(_workspace.TempPath, id);
        Directory.CreateDirectory(scratch);
        try
        {
            return await RecordCheckedAsync(request, id, scratch, command, deps, paramsFiles, parameters, tags, stdout, stderr, progress, interrupt);
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

    private async Task<RunOutcome> RecordCheckedAsync(
        RunRequest request,
        string id,
        string scratch,
        IReadOnlyList<string> command,
        List<string> deps,
        List<string> paramsFiles,
        SortedDictionary<string, string> parameters,
        SortedDictionary<string, string> tags,
        Stream stdout,
        Stream stderr,
        IProgress<HashProgress>? progress,
        CancellationToken interrupt)
    {
        var warnings = new List<string>();
        var none = CancellationToken.None;
        string Full(string path) => Path.GetFullPath(path, request.WorkingDirectory);

        // The manifest's serializer metadata is built on the other core while git and the
        // command run, not after the command, where the save would wait for it.
        _ = CanonicalJson.PrepareInBackground(typeof(RunManifest));

        // 2. The child's environment.
        var metricsLog = Path.Combine(scratch, "metrics.jsonl");
        var set = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (request.Seed is { } seed)
        {
            foreach (var (key, value) in DeterminismSettings.SeedVariables(seed))
            {
                set[key] = value;
            }
        }

        if (request.Deterministic)
        {
            foreach (var (key, value) in DeterminismSettings.ProfileVariables(request.Environment))
            {
                set[key] = value;
            }
        }

        var environment = new SortedDictionary<string, string>(request.Environment.ToDictionary(), StringComparer.Ordinal);
        foreach (var (key, value) in set)
        {
            environment[key] = value;
        }

        environment["REPRO_RUN_ID"] = id;
        environment["REPRO_DIR"] = _workspace.ReproDirectory;
        environment["REPRO_METRICS_FILE"] = metricsLog;
        environment.TryAdd("PYTHONUNBUFFERED", "1");

        // In an image the command is looked up on the image's PATH, by the engine.
        var image = request.Executor as IImageExecutor;
        var executable = image is not null ? command[0] : ExecutableResolver.Find(command[0], environment.GetValueOrDefault("PATH"), request.WorkingDirectory)
            ?? throw ReproException.CannotExecute($"cannot start '{command[0]}': not found{(command[0].Contains('/', StringComparison.Ordinal) ? " or not executable" : " on PATH")}");

        // The executor checks it can run here before anything is recorded.
        var spec = new ExecutionSpec
        {
            Command = command,
            Process = new ChildProcessSpec { Executable = executable, Arguments = command.Skip(1).ToList(), WorkingDirectory = request.WorkingDirectory, Environment = environment },
            WorkspaceRoot = _workspace.Root,
            WritablePaths = request.Outs.Select(Full).Concat(request.MetricsFiles.Select(Full)).Append(metricsLog).ToList(),
            ReadOnlyPaths = [_cache.Root],
            Python = request.Python ?? (PythonProbe.IsPythonName(command[0]) ? executable : null),
        };
        await request.Executor.PrepareAsync(spec, none);
        PhaseTimings.Mark("run: request checked, executor prepared");

        // 3. Code and data, before the command can change them.
        var declared = deps.Concat(request.Outs.Select(Full)).Concat(request.MetricsFiles.Select(Full)).ToList();
        var code = await CaptureCodeAsync(declared, progress, none);
        PhaseTimings.Mark("run: code captured");
        if (BeforeData is not null)
        {
            await BeforeData(none);
            PhaseTimings.Mark("run: store ready");
        }

        var depRecords = new List<ArtifactRecord>();
        foreach (var dep in deps)
        {
            depRecords.Add(await _hasher.HashAsync(dep, _workspace.Relative(dep), store: true, progress, none));
        }

        var paramRecords = new List<ArtifactRecord>();
        foreach (var file in paramsFiles)
        {
            paramRecords.Add(await _hasher.HashAsync(file, _workspace.Relative(file), store: true, null, none));
        }

        PhaseTimings.Mark("run: deps and params files hashed");

        // 4. Run. The machine probe reads /proc meanwhile, on the other core (it is synchronous
        // until nvidia-smi, which it starts only when it exists); the child does not wait for it.
        // repro's own per-run variables are recorded elsewhere in the manifest; keeping them out
        // of the environment pillar keeps two runs' environments comparable.
        var probed = environment.Where(v => v.Key is not ("REPRO_RUN_ID" or "REPRO_DIR" or "REPRO_METRICS_FILE")).ToList();
        var system = Task.Run(() => SystemProbe.CaptureAsync(probed, none), none);

        // A local interpreter is asked for its sys.path and packages while the command runs too:
        // the packages the run started with, and one interpreter start off the critical path.
        // A remote executor's node probes its own interpreter; the login machine's is asked only
        // when that probe did not answer.
        var python = spec.Python;
        Task<(PythonInfo? Info, string? Error)> ProbeLocalPythonAsync() => PythonProbe.ProbeAsync(
            ExecutableResolver.Find(python, environment.GetValueOrDefault("PATH"), request.WorkingDirectory) ?? python,
            request.WorkingDirectory,
            environment.ToDictionary(p => p.Key, p => (string?)p.Value),
            none);
        var localPython = python is null || image is not null || request.Executor is IRemoteExecutor ? null : Task.Run(ProbeLocalPythonAsync, none);
        PhaseTimings.Mark("run: machine and python probes started");
        var result = await request.Executor.RunAsync(spec, stdout, stderr, _time, interrupt);
        PhaseTimings.Mark("run: command ended");

        // 5. Outputs, metrics, interpreter.
        var outputs = new List<ArtifactRecord>();
        foreach (var out_ in request.Outs)
        {
            var full = Full(out_);
            var record = await _hasher.HashAsync(full, _workspace.Relative(full), store: true, progress, none);
            if (record.Kind == ArtifactKind.Missing)
            {
                warnings.Add($"declared output {out_} was not produced");
            }

            outputs.Add(record);
        }

        var metrics = await ReadMetricsAsync(request.MetricsFiles.Select(f => (f, Full(f))).ToList(), metricsLog, warnings, none);
        PhaseTimings.Mark("run: outputs and metrics captured");

        // An executor that ran the command on another machine (a Slurm node) probed that machine there.
        var local = await system;
        PhaseTimings.Mark("run: machine probe awaited");
        var remote = (request.Executor as IRemoteExecutor)?.RemoteEnvironment;
        var environmentSnapshot = (remote ?? local) with { Executor = request.Executor.Describe() };
        if (request.Executor is IRemoteExecutor { RemoteProblem: { } problem } && remote is null)
        {
            warnings.Add($"the environment pillar is this machine's ({local.Hostname}), not that of the machine the command ran on: {problem}");
        }

        // The node probed its interpreter too: the login machine's Python may not be the node's.
        if (python is not null && !(remote is not null && (remote.Python is not null || remote.Unknown.ContainsKey("python"))))
        {
            var (info, error) = image is not null
                ? await image.ProbePythonAsync(spec, python, none)
                : await (localPython ?? ProbeLocalPythonAsync());
            if (image is not null && info is not null && python == command[0])
            {
                // The interpreter the command ran, as a path inside the image.
                executable = info.Executable;
            }

            environmentSnapshot = info is not null
                ? environmentSnapshot with { Python = info }
                : environmentSnapshot with { Unknown = new SortedDictionary<string, string>(environmentSnapshot.Unknown.ToDictionary(), StringComparer.Ordinal) { ["python"] = error! } };
        }

        PhaseTimings.Mark("run: python probed");
        var stdoutBlob = await _cache.AddBytesAsync(result.Stdout.ToArray(), none);
        var stderrBlob = await _cache.AddBytesAsync(result.Stderr.ToArray(), none);

        if (result.Cancelled)
        {
            warnings.Add("interrupted: the command was stopped by Ctrl+C or a signal");
        }

        var manifest = new RunManifest
        {
            Id = id,
            Name = request.Name,
            Kind = request.Kind,
            ParentId = request.ParentId,
            Status = result.ExitCode == 0 && !result.Cancelled ? RunStatus.Ok : RunStatus.Failed,
            CreatedAt = result.StartedAt,
            Code = code,
            Deps = depRecords,
            Outputs = outputs,
            Params = parameters,
            ParamsFiles = paramRecords,
            Seed = request.Seed,
            Determinism = new DeterminismProfile { Enabled = request.Deterministic, Variables = set },
            Environment = environmentSnapshot,
            Metrics = metrics,
            Execution = new ExecutionRecord
            {
                Argv = request.Command,
                Command = command,
                Executable = executable,
                WorkingDir = _workspace.Relative(request.WorkingDirectory),
                StartedAt = result.StartedAt,
                EndedAt = result.EndedAt,
                WallSeconds = result.WallSeconds,
                CpuSeconds = result.CpuSeconds,
                PeakRssBytes = result.PeakRssBytes,
                ExitCode = result.ExitCode,
                Cancelled = result.Cancelled,
                Executor = request.Executor.Name,
                Stdout = Captured(result.Stdout, stdoutBlob),
                Stderr = Captured(result.Stderr, stderrBlob),
            },
            Tags = tags,
            Warnings = warnings,
        };

        if (BeforeSave is not null)
        {
            manifest = await BeforeSave(manifest, none);
        }

        PhaseTimings.Mark("run: manifest built");
        var stored = await _store.SaveAsync(manifest, none);
        PhaseTimings.Mark("run: manifest saved");
        return new RunOutcome(manifest, stored.Digest, result.ExitCode);
    }

    private async Task<CodeSnapshot> CaptureCodeAsync(List<string> declared, IProgress<HashProgress>? progress, CancellationToken cancellationToken)
    {
        var git = await new GitProbe(_cache).CaptureAsync(_workspace.Root, declared, cancellationToken);
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

    private async Task<MetricsRecord> ReadMetricsAsync(List<(string Given, string Full)> files, string stepLog, List<string> warnings, CancellationToken cancellationToken)
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
            var blob = await _cache.AddBytesAsync(await File.ReadAllBytesAsync(stepLog, cancellationToken), cancellationToken);
            sources.Add(new ArtifactRecord { Path = "$REPRO_METRICS_FILE", Kind = ArtifactKind.File, Sha256 = blob.Sha256, Size = blob.Size, Cached = true });
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

    private static CapturedOutput Captured(BoundedCapture capture, BlobRef blob) => new()
    {
        Sha256 = blob.Sha256,
        Size = blob.Size,
        TotalBytes = capture.TotalBytes,
        Truncated = capture.Truncated,
        CapBytes = capture.CapBytes,
    };
}
