namespace Repro.Recording.Pipelines;

/// <summary>Whether a stage would re-run, and why: each change is one short phrase ("dep data/raw.csv modified").</summary>
public sealed record StageStatus
{
    public required string Stage { get; init; }

    public required IReadOnlyList<string> Changes { get; init; }

    public bool Frozen { get; init; }

    public bool Changed => Changes.Count > 0;
}
