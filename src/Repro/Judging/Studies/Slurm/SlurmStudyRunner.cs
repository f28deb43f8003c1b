using System.Data.Common;
using System.Globalization;
using System.Text;
using Repro.Blobs.Hashing;
using Repro.Blobs.Storage;
using Repro.Execution;
using Repro.Judging.Studies;
using Repro.Model;
using Repro.Model.Workspaces;
using Repro.Recording;

namespace Repro.Judging.Studies.Slurm;

/// <summary>
/// Runs a seed study as Slurm job arrays: one array task per seed, each running repro itself on
/// its node (<c>repro slurm-task</c>) to re-run the recorded run with its seed in its own scratch
/// checkout (or, for a study of a command, to record the command with its seed in place),
/// recording into the shared store. The study, its batches and every seed's expected
/// child are stored before anything is waited for; the waiter only polls Slurm and the store, so
/// killing it loses nothing and <see cref="WaitAsync"/> from another process picks up where it
/// was. Failed attempts (killed, timed out, crashed before recording) are submitted again as a
/// new array of just those seeds, up to <see cref="SlurmOptions.Retries"/> times.
/// </summary>
public sealed class SlurmStudyRunner
{
    private readonly Workspace _workspace;
    private readonly IRunStore _store;
    private readonly IStudyStore _studies;
    private readonly ContentCache _cache;
    private readonly Func<IStatCache> _statCache;
    private readonly SlurmClient _slurm;
    private readonly TimeProvider _time;

    public SlurmStudyRunner(Workspace workspace, IRunStore store, IStudyStore studies, ContentCache cache, Func<IStatCache> statCache, SlurmClient slurm, TimeProvider time)
    {
        _workspace = workspace;
        _store = store;
        _studies = studies;
        _cache = cache;
        _statCache = statCache;
        _slurm = slurm;
        _time = time;
    }

    /// <summary>How often Slurm and the store are polled while waiting.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Stores the study and submits its first array. <paramref name="launcher"/> starts repro on
    /// a node; <paramref name="environment"/> is what the tasks inherit (credential-looking
    /// variables are left out: on a cluster they belong in ~/.pgpass or a credentials file).
    /// </summary>
    public async Task<SlurmStudySpec> SubmitAsync(StudyRequest request, SlurmOptions options, IReadOnlyList<string> launcher, CancellationToken cancellationToken)
    {
        if ((request.Source is null) == (request.Command is null))
        {
            throw new ArgumentException("a study needs a command or a recorded run, not both", nameof(request));
        }

        if (request.Source is { } source && source.Manifest.Kind == "study")
        {
            throw ReproException.Usage($"run {source.Manifest.Id[..8]} is itself a study: give one of its seeds' runs, or the run it studied");
        }

        if (request.Seeds.Count == 0)
        {
            throw ReproException.Usage("a study needs at least one seed");
        }

        if (request.Command is { } command && (options.Throttle ?? request.Seeds.Count) > 1)
        {
            // Array tasks run at once, each in this very folder (the nodes share it).
            StudyRunner.CheckSideBySide(command, "on Slurm the seeds run side by side in this folder, one array task each,", "add -j 1 (one task at a time), or record the run first and use `repro seeds RUN --executor slurm`");
        }

        options.Validate();
        _ = StudyRunner.ParseClaims(request.Claims);
        await _slurm.CheckAsync(cancellationToken);

        var spec = new SlurmStudySpec
        {
            Id = RunId.New(),
            Name = request.Name ?? request.Source?.Manifest.Name ?? request.Command?.Name,
            SourceRun = request.Source?.Manifest.Id,
            Command = request.Command is { } given ? SlurmStudyCommand.From(given) : null,
            Seeds = request.Seeds,
            Claims = request.Claims,
            HigherIsBetter = request.HigherIsBetter,
            Options = options,
            Launcher = launcher,
            StartedAt = _time.GetUtcNow(),
        };
        var tasks = request.Seeds.Select((seed, index) => NewTask(spec.Id, 0, index, seed)).ToList();
        await _studies.CreateAsync(spec, tasks, cancellationToken);
        await SubmitBatchAsync(spec, 0, tasks.Count, request.Environment, cancellationToken);
        return spec;
    }

    /// <summary>
    /// Waits for every seed to settle (resubmitting failed ones), then saves and returns the
    /// study. A study already saved is returned as it is. <paramref name="interrupt"/> stops the
    /// waiting only: the jobs go on.
    /// </summary>
    public async Task<StudyOutcome> WaitAsync(string studyId, IReadOnlyDictionary<string, string> environment, IProgress<SlurmStudyProgress>? progress, CancellationToken interrupt)
    {
        var none = CancellationToken.None;
        var spec = await _studies.GetAsync(studyId, none) ?? throw ReproException.Usage($"no Slurm study {studyId}");
        if (await _store.GetAsync(studyId, none) is { } saved)
        {
            return new StudyOutcome(saved.Manifest, saved.Digest);
        }

        StoredRun? source = null;
        if (spec.SourceRun is { } sourceRun)
        {
            source = await _store.GetAsync(sourceRun, none)
                ?? throw ReproException.CannotExecute($"the study's source run {sourceRun[..8]} is no longer in the store");
        }

        while (true)
        {
            var (tasks, ended, problem) = await PollAsync(spec, none);
            var latest = Latest(tasks);
            var retry = latest.Values.Where(t => t.State is not null && !IsFinal(t) && Attempts(tasks, t.Seed) <= spec.Options.Retries).ToList();
            if (retry.Count > 0)
            {
                var batch = tasks.Max(t => t.Batch) + 1;
                var again = retry.OrderBy(t => t.Seed).Select((t, index) => NewTask(spec.Id, batch, index, t.Seed)).ToList();
                await RetryAsync("store the resubmission", async () => { await _studies.AddBatchAsync(again, none); return string.Empty; }, null, none);
                await SubmitBatchAsync(spec, batch, again.Count, environment, none);
                tasks = [.. tasks, .. again];
                latest = Latest(tasks);
            }

            var settled = latest.Values.Where(t => t.State is not null).ToList();
            var jobs = await RetryAsync("read the study's jobs", () => _studies.JobsAsync(spec.Id, none), null, none);
            progress?.Report(new SlurmStudyProgress
            {
                Seeds = spec.Seeds.Count,
                Done = settled.Count,
                Failed = settled.Count(t => !t.Recorded),
                Running = latest.Values.Count(t => t.State is null && t.Node is not null),
                Pending = latest.Values.Count(t => t.State is null && t.Node is null),
                Resubmitted = tasks.Count(t => t.Batch > 0),
                Jobs = jobs.Values.Where(j => j is not null).Select(j => j!).ToList(),
                Ended = ended,
                Problem = problem,
            });
            if (settled.Count == spec.Seeds.Count)
            {
                return await SaveAsync(spec, source, tasks, latest);
            }

            if (interrupt.IsCancellationRequested)
            {
                throw new ReproException(ExitCode.Cancelled, $"stopped waiting; the jobs go on: `repro study {spec.Id[..8]} --wait` re-attaches");
            }

            try
            {
                await Task.Delay(PollInterval, _time, interrupt);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>One look at Slurm and the store: records how each task that ended since the last look ended.</summary>
    private async Task<(List<SlurmSeedTask> Tasks, List<SlurmSeedTask> Ended, string? Problem)> PollAsync(SlurmStudySpec spec, CancellationToken cancellationToken)
    {
        var tasks = (await RetryAsync("read the study's tasks", () => _studies.TasksAsync(spec.Id, cancellationToken), null, cancellationToken)).ToList();
        var jobs = await RetryAsync("read the study's jobs", () => _studies.JobsAsync(spec.Id, cancellationToken), null, cancellationToken);
        var shown = new Dictionary<(int Batch, int Index), SlurmTask>();
        var forgotten = new HashSet<int>();
        string? problem = null;
        foreach (var batch in tasks.Where(t => t.State is null).Select(t => t.Batch).Distinct())
        {
            if (jobs.GetValueOrDefault(batch) is not { } job)
            {
                // sbatch's answer was never stored (the waiter died right after submitting): nothing to follow.
                forgotten.Add(batch);
                continue;
            }

            try
            {
                if (await _slurm.ShowJobAsync(job, cancellationToken) is not { } states)
                {
                    forgotten.Add(batch);
                    continue;
                }

                foreach (var state in states.Where(s => s.TaskIndex is not null))
                {
                    shown[(batch, state.TaskIndex!.Value)] = state;
                }
            }
            catch (SlurmUnavailableException ex)
            {
                problem = ex.Message;
            }
        }

        var ended = new List<SlurmSeedTask>();
        for (var i = 0; i < tasks.Count; i++)
        {
            var task = tasks[i];
            if (task.State is not null)
            {
                continue;
            }

            shown.TryGetValue((task.Batch, task.TaskIndex), out var state);
            if (state is not { Ended: true } && !forgotten.Contains(task.Batch))
            {
                // Still pending or running: remember where it runs, for the progress bar.
                tasks[i] = task with { Node = state is { State: "RUNNING" or "COMPLETING" } ? state.Node ?? "?" : null };
                continue;
            }

            // Slurm is read before the store: a task writes its run before it exits, so an ended task without a run never wrote one.
            var run = await RetryAsync("read a run", () => _store.GetAsync(task.RunId, cancellationToken), null, cancellationToken);
            var done = task with
            {
                State = state?.State ?? SlurmStates.Forgotten,
                ExitCode = state?.ExitCode,
                Signal = state?.Signal,
                Node = state?.Node,
                Recorded = run is not null && !run.Manifest.Execution.Cancelled && !SlurmStates.IsStoppedBySlurm(state?.State),
            };
            if (run is not null && !done.Recorded)
            {
                // An interrupted run is kept, but the attempt counts as failed: Slurm stopped it (the
                // signal may have reached the command before repro, so the run need not say so itself).
                done = done with { Recorded = false, State = done.State == "COMPLETED" ? "CANCELLED" : done.State };
            }

            await RetryAsync("store how a task ended", async () => { await _studies.SetEndedAsync(done, cancellationToken); return string.Empty; }, null, cancellationToken);
            tasks[i] = done;
            ended.Add(done);
        }

        return (tasks, ended, problem);
    }

    private async Task<StudyOutcome> SaveAsync(SlurmStudySpec spec, StoredRun? source, List<SlurmSeedTask> tasks, Dictionary<long, SlurmSeedTask> latest)
    {
        var none = CancellationToken.None;
        var jobs = await _studies.JobsAsync(spec.Id, none);
        var notes = new List<string>();
        foreach (var group in tasks.GroupBy(t => t.Seed).OrderBy(g => g.Key))
        {
            var attempt = 0;
            foreach (var failed in group.OrderBy(t => t.Batch))
            {
                attempt++;
                if (failed != latest[failed.Seed])
                {
                    notes.Add(string.Create(CultureInfo.InvariantCulture, $"seed {failed.Seed}: attempt {attempt} ({Describe(failed, jobs)}) did not finish; submitted again"));
                }
            }
        }

        var children = new List<RunManifest>();
        var unrecorded = new List<StudyChild>();
        foreach (var seed in spec.Seeds)
        {
            var task = latest[seed];
            if (await _store.GetAsync(task.RunId, none) is { } run)
            {
                children.Add(run.Manifest);
                continue;
            }

            notes.Add(string.Create(CultureInfo.InvariantCulture, $"seed {seed}: {Describe(task, jobs)} after {Attempts(tasks, seed)} attempt(s), no run recorded: left out of the statistics"));
            unrecorded.Add(new StudyChild
            {
                RunId = task.RunId,
                Seed = seed,
                Status = RunStatus.Failed,
                ExitCode = task.ExitCode is { } exit and not 0 ? exit : 1,
                Metrics = new Dictionary<string, double>(),
            });
        }

        if (source is null && children.Count == 0)
        {
            // A study of a command summarises its children; with none there is nothing to save it from.
            throw ReproException.CannotExecute($"no seed of study {spec.Id[..8]} recorded a run: {string.Join("; ", notes.Where(n => n.Contains("no run recorded", StringComparison.Ordinal)))}");
        }

        var request = new StudyRequest
        {
            Source = source,
            Command = source is null ? spec.Command!.ToRequest(new Dictionary<string, string>()) : null,
            Seeds = spec.Seeds,
            Parallelism = spec.Options.Throttle ?? spec.Seeds.Count,
            Name = spec.Name,
            Claims = spec.Claims,
            HigherIsBetter = spec.HigherIsBetter,
            Environment = new Dictionary<string, string>(),
        };
        var runner = new StudyRunner(_workspace, _store, _cache, _statCache, _time);
        try
        {
            return await runner.SaveStudyAsync(request, spec.Id, spec.StartedAt, children, unrecorded, source?.Manifest, notes, cancelled: false);
        }
        catch (DbException)
        {
            // Another waiter saved it first: there is one study, and it is that one.
            var saved = await _store.GetAsync(spec.Id, none);
            if (saved is null)
            {
                throw;
            }

            return new StudyOutcome(saved.Manifest, saved.Digest);
        }
    }

    private static string Describe(SlurmSeedTask task, IReadOnlyDictionary<int, string?> jobs)
    {
        var job = jobs.GetValueOrDefault(task.Batch) is { } id ? $"{id}_{task.TaskIndex.ToString(CultureInfo.InvariantCulture)}" : "never submitted";
        var how = task.State == SlurmStates.Forgotten ? "no longer known to Slurm" : string.Create(CultureInfo.InvariantCulture, $"{task.State}, exit {task.ExitCode ?? 0}{(task.Signal is > 0 ? $", signal {task.Signal}" : string.Empty)}");
        var node = task.Node is { } n ? " on " + n : string.Empty;
        return $"Slurm task {job} {how}{node}";
    }

    /// <summary>A seed's attempt that needs no other: it recorded a run that was not interrupted (a script that failed is a result too).</summary>
    private static bool IsFinal(SlurmSeedTask task) => task.Recorded;

    /// <summary>Store calls of the waiter retry like a task's do: a briefly unreachable store must not kill it.</summary>
    private Task<T> RetryAsync<T>(string what, Func<Task<T>> call, Func<Task<T?>>? alreadyDone, CancellationToken cancellationToken)
        where T : class? => RetryingRunStore.Retry(_time, TimeSpan.FromMinutes(10), null, what, call, alreadyDone, cancellationToken);

    private static int Attempts(IEnumerable<SlurmSeedTask> tasks, long seed) => tasks.Count(t => t.Seed == seed);

    private static Dictionary<long, SlurmSeedTask> Latest(IEnumerable<SlurmSeedTask> tasks) =>
        tasks.GroupBy(t => t.Seed).ToDictionary(g => g.Key, g => g.MaxBy(t => t.Batch)!);

    private static SlurmSeedTask NewTask(string studyId, int batch, int index, long seed) => new()
    {
        StudyId = studyId,
        Batch = batch,
        TaskIndex = index,
        Seed = seed,
        RunId = SlurmSeedTask.RunIdFor(studyId, seed, batch),
    };

    private async Task SubmitBatchAsync(SlurmStudySpec spec, int batch, int count, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(_workspace.ReproDirectory, "slurm", spec.Id);
        Directory.CreateDirectory(folder);
        var script = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"batch-{batch}.sh"));
        var text = new StringBuilder()
            .Append("#!/bin/sh\n")
            .Append(CultureInfo.InvariantCulture, $"# repro seed study {spec.Id}, attempt {batch + 1}: array task $SLURM_ARRAY_TASK_ID re-runs one seed and records it.\n")
            .Append("exec ").Append(string.Join(' ', spec.Launcher.Select(SlurmJobScript.ShellQuote)))
            .Append(CultureInfo.InvariantCulture, $" {SlurmJobScript.TaskCommand} {spec.Id} --batch {batch}\n")
            .ToString();
        await AtomicFile.WriteAllTextAsync(script, text, cancellationToken);
        var job = await _slurm.SubmitAsync(
            new SlurmSubmission
            {
                Script = script,
                JobName = "repro-" + spec.Id[..8],
                WorkingDirectory = _workspace.Root,
                Output = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"batch-{batch}-%a.log")),
                ArraySize = count,
                Options = spec.Options,
                Environment = SlurmJobScript.JobEnvironment(environment),
            },
            cancellationToken);
        await RetryAsync("store the job id", async () => { await _studies.SetJobAsync(spec.Id, batch, job, CancellationToken.None); return string.Empty; }, null, CancellationToken.None);
    }
}
