namespace Repro.Model;

/// <summary>
/// Pillar one: the code. Inside git, the commit plus the uncommitted diff (a binary-safe patch
/// in the cache); outside git, a listing of the working tree's files and their hashes.
/// </summary>
public sealed record CodeSnapshot
{
    /// <summary>"git" or "tree".</summary>
    public required string Kind { get; init; }

    public string? Commit { get; init; }

    public string? Branch { get; init; }

    /// <summary>The remote URL with any user name or password removed.</summary>
    public string? Remote { get; init; }

    public bool Dirty { get; init; }

    /// <summary>The workspace folder relative to the git top level ("" when they are the same).</summary>
    public string? Prefix { get; init; }

    public IReadOnlyList<FileChange> Changes { get; init; } = [];

    /// <summary>Patch of every uncommitted change against the commit, untracked files included.</summary>
    public BlobRef? Diff { get; init; }

    /// <summary>Files left out of the diff, and why (too large, declared as data).</summary>
    public IReadOnlyList<FileChange> NotCaptured { get; init; } = [];

    /// <summary>Untracked files past the capture budget, counted; null when every untracked file fit.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public UntrackedOverBudget? OverBudget { get; init; }

    /// <summary>For "tree": the canonical listing of the working tree (path, size, sha256).</summary>
    public BlobRef? Tree { get; init; }

    public int? FileCount { get; init; }

    /// <summary>Why the snapshot is incomplete, if it is.</summary>
    public string? Note { get; init; }
}
