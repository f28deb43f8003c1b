namespace Repro.Blobs.Data;

/// <summary>A pointer file found in the workspace and the data it tracks.</summary>
public sealed record TrackedData
{
    /// <summary>Full path of the <c>.repro</c> pointer file.</summary>
    public required string PointerPath { get; init; }

    /// <summary>Full path of the tracked file or folder.</summary>
    public required string DataPath { get; init; }

    /// <summary>The tracked path relative to the workspace root, '/'-separated: what the user sees.</summary>
    public required string Relative { get; init; }

    public required PointerFile Pointer { get; init; }
}
