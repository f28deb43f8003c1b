using Repro.Blobs.Storage;

namespace Repro.Recording.Pipelines;

/// <summary>repro.yaml with repro.lock and SHA-256 hashes.</summary>
public sealed class ReproPipelineFormat : IPipelineFormat
{
    public ReproPipelineFormat(PipelineDefinition definition, IPipelineHasher hasher)
    {
        Definition = definition;
        Hasher = hasher;
    }

    public PipelineDefinition Definition { get; }

    public IPipelineHasher Hasher { get; }

    public PipelineLock ReadLock() => ReproLockFile.Read(Definition.LockPath);

    public Task WriteLockAsync(PipelineLock pipelineLock, CancellationToken cancellationToken) =>
        AtomicFile.WriteAllTextAsync(Definition.LockPath, ReproLockFile.Render(pipelineLock, Definition), cancellationToken);

    /// <summary>Nothing more: the run already put every output in repro's cache.</summary>
    public Task StageSucceededAsync(PipelineStage stage, LockedStage entry, CancellationToken cancellationToken) => Task.CompletedTask;
}
