namespace Repro.Interop.Tracking;

/// <summary>An MLflow experiment: a named group of runs, active or deleted.</summary>
public sealed record MlflowExperiment
{
    public required string ExperimentId { get; init; }

    public required string Name { get; init; }

    public required string ArtifactLocation { get; init; }

    /// <summary>"active" or "deleted".</summary>
    public required string LifecycleStage { get; init; }

    public long CreationTime { get; init; }

    public long LastUpdateTime { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}
