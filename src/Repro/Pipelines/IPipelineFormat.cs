namespace Repro.Pipelines;

/// <summary>A pipeline file format: its stages, how it hashes, and how its lock file is read and written.</summary>
public interface IPipelineFormat
{
    PipelineDefinition Definition { get; }

    IPipelineHasher Hasher { get; }

    /// <summary>The lock file; an absent one is <see cref="PipelineLock.Empty"/>, a malformed one an error.</summary>
    PipelineLock ReadLock();

    /// <summary>Writes the whole lock atomically (temp file and rename).</summary>
    Task WriteLockAsync(PipelineLock pipelineLock, CancellationToken cancellationToken);
}
