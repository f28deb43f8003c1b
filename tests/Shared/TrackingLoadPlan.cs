namespace Repro.Tests.Shared;

/// <summary>
/// How hard <see cref="TrackingLoad"/> drives a tracking server: clients at once, and for each of
/// its three phases (runs/create, runs/log-batch, runs/search) a time limit and a request limit per
/// client, whichever comes first, so a run is bounded in time and in count.
/// </summary>
public sealed record TrackingLoadPlan
{
    public required int Clients { get; init; }

    /// <summary>How long each phase lasts at most.</summary>
    public required TimeSpan PhaseDuration { get; init; }

    /// <summary>How many requests each client makes in a phase at most.</summary>
    public required int MaxRequestsPerClient { get; init; }

    /// <summary>Metric points per runs/log-batch request (MLflow's benchmark: 500).</summary>
    public int MetricsPerBatch { get; init; } = 500;

    /// <summary>Runs in the experiment runs/search looks through (MLflow's benchmark: 10,000); written before the search phase, not timed.</summary>
    public int SearchRuns { get; init; } = 10_000;

    /// <summary>How long a single request may take before it counts as an error.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
