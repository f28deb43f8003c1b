namespace Repro.Recording.Pipelines;

/// <summary>A pipeline file format: its stages, how it hashes, and how its lock file is read and written.</summary>
public interface IPipelineFormat
{
    PipelineDefinition Definition { get; }

    IPipelineHasher Hasher { get; }

    /// <summary>The lock file; an absent one is <see cref="PipelineLock.Empty"/>, a malformed one an error.</summary>
    PipelineLock ReadLock();

    /// <summary>Writes the whole lock atomically (temp file and rename).</summary>
    Task WriteLockAsync(PipelineLock pipelineLock, CancellationToken cancellationToken);

    /// <summary>After a stage ran and its lock entry was written: e.g. a DVC project's outputs go into DVC's cache.</summary>
    Task StageSucceededAsync(PipelineStage stage, LockedStage entry, CancellationToken cancellationToken);
}
