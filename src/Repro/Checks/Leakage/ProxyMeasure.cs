namespace Repro.Checks.Leakage;

/// <summary>How well one feature alone predicts the target on train (L2).</summary>
public sealed record ProxyMeasure
{
    public required string Column { get; init; }

    /// <summary>"auc" (numeric feature, binary target; max(AUC, 1 − AUC)) or "nmi" (categorical).</summary>
    public required string Statistic { get; init; }

    public required double Value { get; init; }

    /// <summary>Train rows with both the feature and the target present (or in the sample).</summary>
    public required long Rows { get; init; }

    public required string Method { get; init; }

    public required bool Flagged { get; init; }
}
