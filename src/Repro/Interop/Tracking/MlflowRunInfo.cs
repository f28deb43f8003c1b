namespace Repro.Interop.Tracking;

/// <summary>MLflow's RunInfo of a repro run: its id is the repro run id.</summary>
public sealed record MlflowRunInfo
{
    public required string RunId { get; init; }

    public string RunName { get; init; } = string.Empty;

    public required string ExperimentId { get; init; }

    public string UserId { get; init; } = string.Empty;

    /// <summary>RUNNING, SCHEDULED, FINISHED, FAILED or KILLED.</summary>
    public required string Status { get; init; }

    public long? StartTime { get; init; }

    public long? EndTime { get; init; }

    public required string ArtifactUri { get; init; }

    /// <summary>"active" or "deleted".</summary>
    public required string LifecycleStage { get; init; }
}
