namespace Repro.Model;

/// <summary>Final metric values, step-wise histories, and the files they came from.</summary>
public sealed record MetricsRecord
{
    public IReadOnlyDictionary<string, double> Values { get; init; } = new Dictionary<string, double>();

    public IReadOnlyDictionary<string, IReadOnlyList<MetricStep>> Steps { get; init; } = new Dictionary<string, IReadOnlyList<MetricStep>>();

    public IReadOnlyList<ArtifactRecord> Sources { get; init; } = [];
}
