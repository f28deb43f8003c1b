using Repro.Pipelines;
using Repro.Storage;

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

    public Task WriteLockAsync(PipelineLock pipelineLock, CancellationToken cancellationToken)
    {
        // Only the stages repro re-ran are rendered; the others stay byte-for-byte DVC's.
        var original = _read?.Stages ?? [];
        var changed = pipelineLock.Stages.Where(s => !original.Any(o => ReferenceEquals(o, s))).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        return AtomicFile.WriteAllTextAsync(Definition.LockPath, DvcLockFile.Render(Definition.LockPath, pipelineLock, changed), cancellationToken);
    }
}
