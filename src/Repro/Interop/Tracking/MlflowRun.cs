namespace Repro.Interop.Tracking;

/// <summary>MLflow's Run: info plus the latest value of each metric, the params and the tags.</summary>
public sealed record MlflowRun
{
    public required MlflowRunInfo Info { get; init; }

    public IReadOnlyList<MlflowMetric> Metrics { get; init; } = [];

    public IReadOnlyDictionary<string, string> Params { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}
