using Repro.Model.Verdicts;

namespace Repro.Judging.Diffing;

/// <summary>What two runs' probes say about them: the first divergence, the estimator parameters that differ, and why nothing could be compared.</summary>
public sealed record ProbeDifference
{
    public static ProbeDifference None { get; } = new();

    public FirstDivergence? FirstDivergence { get; init; }

    public IReadOnlyList<EstimatorParameterDifference> EstimatorParams { get; init; } = [];

    /// <summary>Why traces were not compared (a run without the probe, a trace missing from the cache), or that they agreed.</summary>
    public string? Note { get; init; }
}
