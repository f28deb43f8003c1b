namespace Repro.Interop.Models;

/// <summary>The code pillar of the run: commit and whether the working tree had uncommitted changes.</summary>
public sealed record ModelCode
{
    /// <summary>"git" or "tree".</summary>
    public required string Kind { get; init; }

    public string? Commit { get; init; }

    public string? Branch { get; init; }

    public string? Remote { get; init; }

    public bool Dirty { get; init; }

    /// <summary>SHA-256 of the uncommitted diff (in the cache), when dirty.</summary>
    public string? DiffSha256 { get; init; }

    /// <summary>SHA-256 of the working tree listing, outside git.</summary>
    public string? TreeSha256 { get; init; }
}
