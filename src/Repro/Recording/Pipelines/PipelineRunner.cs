using Repro.Blobs.Storage;
using Repro.Capture;
using Repro.Recording;

namespace Repro.Recording.Pipelines;

/// <summary>
/// Runs the stages that changed, in dependency order, each recorded as a full repro run named
/// after the stage; the lock entry of a stage is written (atomically) right after it succeeds.
/// A failing stage stops the pipeline: later stages do not run and its lock entry is kept.
/// </summary>
public sealed class PipelineRunner
{
    private readonly IPipelineFormat _format;
    private readonly RunRecorder _recorder;
    private readonly StageChecker _checker;
    private readonly ArtifactHasher _stash;

    /// <param name="stash">Keeps an out in the cache before it is removed for a re-run, so nothing is lost.</param>
    public PipelineRunner(IPipelineFormat format, RunRecorder recorder, ArtifactHasher stash)
    {
        _format = format;
        _recorder = recorder;
        _stash = stash;
        _checker = new StageChecker(format);
    }

    /// <summary>Returns the exit code: 0, or the failing stage's own exit code.</summary>
    public async Task<int> RunAsync(
        PipelineRunOptions options,
        IReadOnlyDictionary<string, string> environment,
        Stream stdout,
        Stream stderr,
        IProgress<PipelineEvent> events,
        CancellationToken interrupt)
    {
        var definition = _format.Definition;
        var order = StageGraph.Order(definition, options.Targets);
        var pipelineLock = _format.ReadLock();
        CheckInputsExist(definition, order);

        var wouldRun = new List<PipelineStage>();
        foreach (var stage in order)
        {
            interrupt.ThrowIfCancellationRequested();
            if (stage.Frozen)
            {
                events.Report(new PipelineEvent { Stage = stage.Name, Kind = PipelineEventKind.Frozen });
                continue;
            }

            var status = await _checker.CheckAsync(stage, pipelineLock.Find(stage.Name), CancellationToken.None);
            var reasons = status.Changes.ToList();
            if (options.DryRun)
            {
                reasons.AddRange(wouldRun.Where(w => StageGraph.ReadsOutputOf(definition, stage, w)).Select(w => $"upstream stage {w.Name} would run"));
            }

            if (options.Force && reasons.Count == 0)
            {
                reasons.Add("forced");
            }

            if (reasons.Count == 0)
            {
                events.Report(new PipelineEvent { Stage = stage.Name, Kind = PipelineEventKind.Skipped });
                continue;
            }

            if (options.DryRun)
            {
                wouldRun.Add(stage);
                events.Report(new PipelineEvent { Stage = stage.Name, Kind = PipelineEventKind.WouldRun, Reasons = reasons });
                continue;
            }

            // Params are read (and a missing key refused) before the stage starts.
            StageChecker.CurrentParams(definition, stage);
            events.Report(new PipelineEvent { Stage = stage.Name, Kind = PipelineEventKind.Running, Reasons = reasons });
            await RemoveOutsAsync(definition, stage);
            var outcome = await _recorder.RecordAsync(Request(definition, stage, environment), stdout, stderr, null, interrupt);
            var run = outcome.Manifest;
            if (outcome.ExitCode != 0 || run.Execution.Cancelled)
            {
                var code = outcome.ExitCode != 0 ? outcome.ExitCode : (int)ExitCode.Cancelled;
                events.Report(new PipelineEvent { Stage = stage.Name, Kind = PipelineEventKind.Failed, RunId = run.Id, ExitCode = code });
                return code;
            }

            // As in DVC, a stage that "succeeds" without writing a declared output has failed.
            var missing = stage.Outs.FirstOrDefault(o => StagePaths.Full(definition, StagePaths.Resolve(definition, stage, o, "out")) is var full && !File.Exists(full) && !Directory.Exists(full));
            if (missing is not null)
            {
                throw ReproException.CannotExecute($"stage '{stage.Name}' exited 0 but did not write its out {missing} (run {run.Id[..8]}); {definition.LockName} was not updated for it and later stages were not run");
            }

            var entry = await LockEntryAsync(stage, pipelineLock.Find(stage.Name), run.Id);
            pipelineLock = pipelineLock.With(entry);
            await _format.WriteLockAsync(pipelineLock, CancellationToken.None);
            await _format.StageSucceededAsync(stage, entry, CancellationToken.None);
            events.Report(new PipelineEvent { Stage = stage.Name, Kind = PipelineEventKind.Succeeded, RunId = run.Id });
        }

        return 0;
    }

    /// <summary>
    /// As DVC does, a stage's outs (except <c>persist: true</c> ones) are removed before it runs, so
    /// a command that silently stops writing one fails instead of locking a stale file. Each is
    /// stored in the cache first: <c>repro data checkout</c> or the previous run's record brings it back.
    /// </summary>
    private async Task RemoveOutsAsync(PipelineDefinition definition, PipelineStage stage)
    {
        foreach (var out_ in stage.Outs.Except(stage.Persist, StringComparer.Ordinal))
        {
            var relative = StagePaths.Resolve(definition, stage, out_, "out");
            var full = StagePaths.Full(definition, relative);
            if (File.Exists(full))
            {
                await _stash.HashAsync(full, relative, store: true, null, CancellationToken.None);
                File.Delete(full);
            }
            else if (Directory.Exists(full))
            {
                await _stash.HashAsync(full, relative, store: true, null, CancellationToken.None);
                Directory.Delete(full, recursive: true);
            }
        }
    }

    /// <summary>The run request for a stage: its command through sh, in its folder, with its deps, outs, metrics, params and seed.</summary>
    public static RunRequest Request(PipelineDefinition definition, PipelineStage stage, IReadOnlyDictionary<string, string> environment)
    {
        string Full(string path, string role) => StagePaths.Full(definition, StagePaths.Resolve(definition, stage, path, role));
        var script = stage.Commands.Count == 1 ? stage.Commands[0] : string.Join(" && ", stage.Commands.Select(c => $"{{ {c}\n}}"));
        var firstWord = stage.Commands[0].TrimStart().Split(' ', 2)[0];
        var values = StageChecker.CurrentParams(definition, stage);
        return new RunRequest
        {
            Name = stage.Name,
            Command = ["sh", "-c", script],
            WorkingDirectory = Path.GetFullPath(Path.Combine(definition.Root, stage.WorkingDirectory)),
            Environment = environment,
            Deps = stage.Deps.Select(d => Full(d, "dep")).ToList(),
            Outs = stage.Outs.Except(stage.Metrics, StringComparer.Ordinal).Select(o => Full(o, "out")).ToList(),
            MetricsFiles = stage.Metrics.Select(m => Full(m, "metrics file")).ToList(),
            ParamsFiles = stage.Params.Select(p => Full(p.File, "params file")).Distinct(StringComparer.Ordinal).ToList(),
            Params = values.SelectMany(f => f.Values.Select(v => $"{(f.File == StageFileParser.DefaultParamsFile ? v.Key : $"{f.File}:{v.Key}")}={v.Value}")).ToList(),
            Seed = stage.Seed,
            Python = PythonProbe.IsPythonName(firstWord) ? firstWord : null,
            Tags = [$"pipeline={definition.DefinitionName}", $"stage={stage.Name}"],
        };
    }

    private async Task<LockedStage> LockEntryAsync(PipelineStage stage, LockedStage? previous, string runId)
    {
        async Task<List<LockedArtifact>> Entries(IEnumerable<string> paths, IReadOnlyList<LockedArtifact>? before)
        {
            var result = new List<LockedArtifact>();
            foreach (var path in paths)
            {
                var old = before?.FirstOrDefault(b => string.Equals(b.Path, path, StringComparison.Ordinal));
                if (await _checker.LockEntryAsync(stage, path, old, CancellationToken.None) is { } entry)
                {
                    result.Add(entry);
                }
            }

            return result;
        }

        return new LockedStage
        {
            Name = stage.Name,
            Commands = stage.Commands,
            CommandIsList = stage.CommandIsList,
            Seed = stage.Seed,
            RunId = runId,
            Deps = await Entries(stage.Deps, previous?.Deps),
            Params = StageChecker.CurrentParams(_format.Definition, stage),
            Outs = await Entries(stage.Outs, previous?.Outs),
        };
    }

    /// <summary>A dep that is missing and that no stage of the pipeline writes stops everything before anything runs.</summary>
    private static void CheckInputsExist(PipelineDefinition definition, IReadOnlyList<PipelineStage> order)
    {
        var written = definition.Stages.SelectMany(s => s.Outs.Select(o => StagePaths.Resolve(definition, s, o, "out"))).ToList();
        foreach (var stage in order.Where(s => !s.Frozen))
        {
            foreach (var dep in stage.Deps)
            {
                var relative = StagePaths.Resolve(definition, stage, dep, "dep");
                var full = StagePaths.Full(definition, relative);
                StagePaths.RefuseLinkOutside(definition, stage, dep);
                if (!File.Exists(full) && !Directory.Exists(full) && !written.Any(w => StagePaths.Overlap(w, relative)))
                {
                    throw ReproException.NotFound($"stage '{stage.Name}': dependency {relative} not found, and no stage writes it");
                }
            }

            foreach (var file in stage.Params.Select(p => p.File))
            {
                var relative = StagePaths.Resolve(definition, stage, file, "params file");
                if (!File.Exists(StagePaths.Full(definition, relative)) && !written.Any(w => StagePaths.Overlap(w, relative)))
                {
                    throw ReproException.NotFound($"stage '{stage.Name}': params file {relative} not found, and no stage writes it");
                }
            }
        }
    }
}
