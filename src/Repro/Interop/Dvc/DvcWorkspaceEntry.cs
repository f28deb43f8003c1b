namespace Repro.Interop.Dvc;

/// <summary>One tracked path: which file tracks it, what it recorded, and what the workspace holds now.</summary>
public sealed record DvcWorkspaceEntry
{
    /// <summary>"dvc.lock" or the <c>.dvc</c> file, relative to the project root.</summary>
    public required string Source { get; init; }

    /// <summary>The dvc.lock stage, or null for a <c>.dvc</c> file.</summary>
    public string? Stage { get; init; }

    /// <summary>"dep" or "out".</summary>
    public required string Role { get; init; }

    /// <summary>Relative to the project root, '/'-separated.</summary>
    public required string Path { get; init; }

    public required string RecordedMd5 { get; init; }

    /// <summary>The md5 now (same flavour as recorded), or null when the path is missing.</summary>
    public string? ActualMd5 { get; init; }

    public required DvcEntryState State { get; init; }
}
