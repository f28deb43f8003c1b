
namespace Repro.Model.Verdicts;

/// <summary>The verdict on one declared output, with the comparer's evidence.</summary>
public sealed record OutputJudgement
{
    public required string Path { get; init; }

    public required Verdict Verdict { get; init; }

    public required string Comparer { get; init; }

    public required string Detail { get; init; }

    public string? OriginalSha256 { get; init; }

    public string? ReproducedSha256 { get; init; }

    /// <summary>The tolerance applied, as text, when the bytes differed.</summary>
    public string? Tolerance { get; init; }

    public double? Rtol { get; init; }

    public double? Atol { get; init; }

    public double? MaxAbsError { get; init; }

    public double? MaxRelError { get; init; }

    public long? MaxUlp { get; init; }

    public long? OutOfTolerance { get; init; }

    public double? AgreementRate { get; init; }
}
