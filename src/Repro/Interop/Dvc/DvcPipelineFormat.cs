using Repro.Blobs.Storage;
using Repro.Recording.Pipelines;

namespace Repro.Interop.Dvc;

/// <summary>A DVC project's dvc.yaml and dvc.lock, run by repro without converting anything.</summary>
public sealed class DvcPipelineFormat : IPipelineFormat
{
    private PipelineLock? _read;

    public DvcPipelineFormat(PipelineDefinition definition, IPipelineHasher hasher)
    {
        Definition = definition;
        Hasher = hasher;
    }

    public PipelineDefinition Definition { get; }

    public IPipelineHasher Hasher { get; }

    public PipelineLock ReadLock() => _read = DvcLockFile.Read(Definition.LockPath);

    /// <summary>In a DVC repository, the stage's cached outputs go into DVC's cache, so <c>dvc status</c> agrees.</summary>
    public async Task StageSucceededAsync(PipelineStage stage, LockedStage entry, CancellationToken cancellationToken)
    {
        if (Hasher is not DvcHasher hasher || DvcCache.Find(Definition.Root, hasher) is not { } cache)
        {
            return;
        }

        foreach (var out_ in entry.Outs.Where(o => !stage.Uncached.Contains(o.Path, StringComparer.Ordinal)))
        {
            var full = StagePaths.Full(Definition, StagePaths.Resolve(Definition, stage, out_.Path, "out"));
            await cache.AddAsync(full, out_, cancellationToken);
        }
    }

    public Task WriteLockAsync(PipelineLock pipelineLock, CancellationToken cancellationToken)
    {
        // Only the stages repro re-ran are rendered; the others stay byte-for-byte DVC's.
        var original = _read?.Stages ?? [];
        var changed = pipelineLock.Stages.Where(s => !original.Any(o => ReferenceEquals(o, s))).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        return AtomicFile.WriteAllTextAsync(Definition.LockPath, DvcLockFile.Render(Definition.LockPath, pipelineLock, changed), cancellationToken);
    }
}
