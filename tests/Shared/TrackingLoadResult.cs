namespace Repro.Tests.Shared;

/// <summary>
/// What a <see cref="TrackingLoad"/> run measured, and what it counted back from the server
/// afterwards: every run created and every metric point acknowledged must be there.
/// </summary>
public sealed record TrackingLoadResult
{
    public required LatencySummary Create { get; init; }

    public required LatencySummary LogBatch { get; init; }

    public required LatencySummary Search { get; init; }

    public required long RunsCreated { get; init; }

    public required long RunsFound { get; init; }

    public required long PointsLogged { get; init; }

    public required long PointsFound { get; init; }

    /// <summary>Runs in the searched experiment, counted through runs/search.</summary>
    public required long SearchRunsFound { get; init; }

    public int Errors => Create.Errors + LogBatch.Errors + Search.Errors;
}
