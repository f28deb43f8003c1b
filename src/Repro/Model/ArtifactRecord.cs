namespace Repro.Model;

/// <summary>A declared input or output: where it was, what kind, and the hash of its content.</summary>
public sealed record ArtifactRecord
{
    /// <summary>Workspace-relative path with '/' separators (absolute when outside the workspace).</summary>
    public required string Path { get; init; }

    public required ArtifactKind Kind { get; init; }

    /// <summary>SHA-256 of the file, or of the canonical listing for a folder; null when missing.</summary>
    public string? Sha256 { get; init; }

    public long? Size { get; init; }

    /// <summary>Number of files for a folder.</summary>
    public int? Files { get; init; }

    /// <summary>Whether the bytes (and the listing for a folder) are in the content-addressed cache.</summary>
    public bool Cached { get; init; }
}
