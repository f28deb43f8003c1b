namespace Repro.Checks.Leakage;

/// <summary>The tunable limits of <c>repro leak</c>, frozen before the check runs; <see cref="Source"/> says where they came from.</summary>
public sealed record LeakThresholds
{
    public static LeakThresholds Default { get; } = new();

    /// <summary>A numeric feature whose ROC AUC (either direction) reaches this is a target proxy (L2).</summary>
    public double Auc { get; init; } = 0.95;

    /// <summary>A categorical feature whose NMI with the target reaches this is a target proxy (L2).</summary>
    public double Nmi { get; init; } = 0.9;

    /// <summary>A KS statistic or total-variation distance at or above this (and beyond sampling noise) is a shift (L3.3).</summary>
    public double Shift { get; init; } = 0.1;

    /// <summary>The p-value below which a shift is not explained by sampling noise.</summary>
    public double ShiftAlpha { get; init; } = 0.001;

    /// <summary>Values kept per numeric column and split; beyond it, a seeded reservoir sample.</summary>
    public int SampleSize { get; init; } = 200_000;

    /// <summary>Distinct values tracked per column for categorical statistics.</summary>
    public int CategoryCap { get; init; } = 10_000;

    /// <summary>The seed of the reservoir samples.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>A duplicate, group or time finding is an error when it affects at least this share of test rows.</summary>
    public double ErrorShare { get; init; } = 0.01;

    public string Source { get; init; } = "defaults";
}
