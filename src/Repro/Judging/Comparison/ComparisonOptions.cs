namespace Repro.Judging.Comparison;

/// <summary>How strictly two files are compared.</summary>
public sealed record ComparisonOptions
{
    public Tolerance Tolerance { get; init; } = Tolerance.Default;

    /// <summary>Lowest share of agreeing decisions/labels (0..1) still judged EQUIVALENT; 1 means any flip diverges.</summary>
    public double MinAgreement { get; init; } = 1.0;

    /// <summary>How many differences to describe in the detail text.</summary>
    public int MaxExamples { get; init; } = 5;
}
