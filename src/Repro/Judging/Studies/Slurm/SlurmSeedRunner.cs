using Repro.Blobs.Hashing;
using Repro.Blobs.Storage;
using Repro.Execution;
using Repro.Judging.Verification;
using Repro.Model;
using Repro.Model.Workspaces;
using Repro.Recording;

namespace Repro.Judging.Studies.Slurm;

/// <summary>
/// The node side of a Slurm study: one array task re-runs the study's recorded run with its
/// seed in its own scratch checkout (or records the study's command with its seed, in place)
/// and records it in the shared store, under the id its attempt
/// was given. Reads and the final write retry while the store is unreachable; a task whose run
/// is already stored (Slurm ran it twice) records nothing.
/// </summary>
public sealed class SlurmSeedRunner
{
    private readonly Workspace _workspace;
    private readonly IRunStore _store;
    private readonly IStudyStore _studies;
    private readonly ContentCache _cache;
    private readonly Func<IStatCache> _statCache;
    private readonly TimeProvider _time;

    public SlurmSeedRunner(Workspace workspace, IRunStore store, IStudyStore studies, ContentCache cache, Func<IStatCache> statCache, TimeProvider time)
    {
        _workspace = workspace;
        _store = store;
        _studies = studies;
        _cache = cache;
        _statCache = statCache;
        _time = time;
    }

    /// <summary>
    /// Runs task <paramref name="taskIndex"/> of <paramref name="batch"/>; returns the recorded
    /// run, or null when it was already recorded. <paramref name="retrying"/> hears of each retry.
    /// </summary>
    public async Task<RunManifest?> RunAsync(string studyId, int batch, int taskIndex, IReadOnlyDictionary<string, string> environment, Stream stdout, Stream stderr, IProgress<string>? retrying, CancellationToken interrupt)
    {
        var none = CancellationToken.None;
        var store = new RetryingRunStore(_store, _time, retrying);
        var tasks = await store.RetryAsync("read the study's tasks", () => _studies.TasksAsync(studyId, none), null, none);
        var task = tasks.FirstOrDefault(t => t.Batch == batch && t.TaskIndex == taskIndex)
            ?? throw ReproException.CannotExecute($"study {studyId[..8]} has no task {taskIndex} in attempt {batch + 1}");
        if (await store.GetAsync(task.RunId, none) is not null)
        {
            return null;
        }

        var spec = await store.RetryAsync("read the study", () => _studies.GetAsync(studyId, none), null, none)
            ?? throw ReproException.CannotExecute($"no Slurm study {studyId}");
        if (spec.Command is { } command)
        {
            // A study of a command: recorded in place, in the folder the nodes share, as `repro seeds -- COMMAND` does.
            var child = command.ToRequest(environment) with
            {
                Name = null,
                Kind = "run",
                ParentId = studyId,
                Id = task.RunId,
                Seed = task.Seed,
                Tags = command.Tags.Append($"study={studyId}").ToList(),
            };
            var recorder = new RunRecorder(_workspace, store, _cache, _statCache(), _time);
            return (await recorder.RecordAsync(child, stdout, stderr, null, interrupt)).Manifest;
        }

        var sourceRun = spec.SourceRun ?? throw ReproException.CannotExecute($"study {studyId[..8]} names neither a run nor a command");
        var source = await store.GetAsync(sourceRun, none)
            ?? throw ReproException.CannotExecute($"the study's source run {sourceRun[..8]} is not in the store");
        var replayer = new RunReplayer(_workspace, store, _cache, _statCache, _time);
        var replay = new ReplayRequest
        {
            Kind = "run",
            ParentId = studyId,
            OverrideSeed = true,
            Seed = task.Seed,
            RunId = task.RunId,
            ExtraTags = new Dictionary<string, string> { ["study"] = studyId },
            Executor = ExecutorOptions.Local.ForReplayOf(source.Manifest),
        };
        var notes = new List<string>();
        return await replayer.ReplayAsync(source.Manifest, replay, environment, stdout, stderr, notes, interrupt);
    }
}
