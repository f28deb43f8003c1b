namespace Repro.Checks.Leakage;

/// <summary>How far one feature's distribution moved between train and test (L3.3).</summary>
public sealed record ShiftMeasure
{
    public required string Column { get; init; }

    /// <summary>"ks" (numeric: Kolmogorov–Smirnov statistic) or "tv" (categorical: total-variation distance).</summary>
    public required string Statistic { get; init; }

    public required double Value { get; init; }

    /// <summary>Two-sided p-value: asymptotic KS, or χ² homogeneity for categories.</summary>
    public required double PValue { get; init; }

    public required long TrainValues { get; init; }

    public required long TestValues { get; init; }

    /// <summary>"exact", or the reservoir sample the statistic was computed on.</summary>
    public required string Method { get; init; }

    public required bool Flagged { get; init; }
}
