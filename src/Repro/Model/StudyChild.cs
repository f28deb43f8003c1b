namespace Repro.Model;

/// <summary>One seed of a study: its run, how it ended and its final metric values.</summary>
public sealed record StudyChild
{
    public required string RunId { get; init; }

    public required long Seed { get; init; }

    public required RunStatus Status { get; init; }

    public required int ExitCode { get; init; }

    public required IReadOnlyDictionary<string, double> Metrics { get; init; }
}
