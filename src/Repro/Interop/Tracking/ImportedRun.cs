namespace Repro.Interop.Tracking;

/// <summary>One run read from an MLflow file store, ready to be stored as a repro run.</summary>
public sealed record ImportedRun
{
    public required NewRun Run { get; init; }

    public long? EndTime { get; init; }

    public string LifecycleStage { get; init; } = "active";

    public IReadOnlyList<KeyValuePair<string, string>> Params { get; init; } = [];

    public IReadOnlyList<MlflowMetric> Metrics { get; init; } = [];
}
