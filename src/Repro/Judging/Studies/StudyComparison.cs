namespace Repro.Judging.Studies;

/// <summary>Everything <c>repro compare A B</c> concluded, metric by metric, with the studies' digests as evidence.</summary>
public sealed record StudyComparison
{
    public int SchemaVersion { get; init; } = 1;

    public required string A { get; init; }

    public string? AName { get; init; }

    public required string ADigest { get; init; }

    public required string B { get; init; }

    public string? BName { get; init; }

    public required string BDigest { get; init; }

    public required IReadOnlyList<MetricComparison> Metrics { get; init; }

    public required string Rule { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = [];
}
