
namespace Repro.Model.Verdicts;

/// <summary>The verdict on one metric: both values, the change and the tolerance applied.</summary>
public sealed record MetricJudgement
{
    public required string Key { get; init; }

    public required double? Original { get; init; }

    public required double? Reproduced { get; init; }

    public double? Delta { get; init; }

    /// <summary>The tolerance as text ("rtol=…, atol=…").</summary>
    public required string Tolerance { get; init; }

    public double Rtol { get; init; }

    public double Atol { get; init; }

    public required Verdict Verdict { get; init; }
}
