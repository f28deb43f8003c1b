namespace Repro.Recording.Pipelines;

/// <summary>A dep or out as the lock file records it: its hash in the pipeline's scheme, size and file count.</summary>
public sealed record LockedArtifact
{
    /// <summary>As written in the pipeline file (relative to the stage's folder).</summary>
    public required string Path { get; init; }

    /// <summary>Hex digest; folders carry their scheme's marker (DVC: ".dir" suffix).</summary>
    public required string Hash { get; init; }

    /// <summary>"sha256", "md5" (DVC 3) or "md5-dos2unix" (DVC 2 entry without a <c>hash</c> field).</summary>
    public required string HashName { get; init; }

    public long? Size { get; init; }

    /// <summary>Files in a folder; null for a file.</summary>
    public int? Files { get; init; }

    public bool IsExecutable { get; init; }
}
