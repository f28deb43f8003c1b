using Repro.Platform.Statistics;

namespace Repro.Judging.Studies;

/// <summary>One metric of <c>repro compare</c>: both seed distributions, the tests, and what they allow one to say.</summary>
public sealed record MetricComparison
{
    public required string Key { get; init; }

    public required bool HigherIsBetter { get; init; }

    public required SampleSummary A { get; init; }

    public required SampleSummary B { get; init; }

    public required TwoSampleComparison Test { get; init; }

    /// <summary>P(a seed of B beats a seed of A) in the metric's direction, ties counted ½.</summary>
    public required double ProbabilityBBetter { get; init; }

    /// <summary>"b_better", "a_better" or "no_evidence".</summary>
    public required string Outcome { get; init; }

    public required string Conclusion { get; init; }
}
