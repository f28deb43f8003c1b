namespace Repro.Judging.Diffing;

/// <summary>How the code pillars of two runs differ.</summary>
public sealed record CodeDifference
{
    public bool Same { get; init; }

    public string? CommitA { get; init; }

    public string? CommitB { get; init; }

    /// <summary>SHA-256 of each run's uncommitted patch (or tree listing outside git).</summary>
    public string? SnapshotA { get; init; }

    public string? SnapshotB { get; init; }

    /// <summary>Files whose content differs between the two runs' code, as far as the records tell.</summary>
    public IReadOnlyList<string> ChangedFiles { get; init; } = [];
}
