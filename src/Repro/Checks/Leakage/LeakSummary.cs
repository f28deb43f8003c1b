namespace Repro.Checks.Leakage;

/// <summary>What <c>repro leak</c> read and measured, including checks it could not run and why.</summary>
public sealed record LeakSummary
{
    public required LeakFileSummary Train { get; init; }

    public required LeakFileSummary Test { get; init; }

    /// <summary>Columns in both files.</summary>
    public required IReadOnlyList<string> Columns { get; init; }

    /// <summary>Columns a row is compared on for duplicates: the features.</summary>
    public required IReadOnlyList<string> ComparedColumns { get; init; }

    /// <summary>The features: every column but ids, ignored columns, the target, group and time.</summary>
    public required IReadOnlyList<string> Features { get; init; }

    public string? Target { get; init; }

    public string? Group { get; init; }

    public string? Time { get; init; }

    /// <summary>Distinct target values in train (null without --target).</summary>
    public IReadOnlyList<string>? TargetClasses { get; init; }

    /// <summary>The largest shifts, largest first.</summary>
    public required IReadOnlyList<ShiftMeasure> Shift { get; init; }

    /// <summary>The strongest single-feature predictors of the target on train, strongest first.</summary>
    public required IReadOnlyList<ProxyMeasure> Proxies { get; init; }

    /// <summary>Checks skipped or approximated, and why.</summary>
    public required IReadOnlyList<string> Notes { get; init; }

    public required LeakThresholds Thresholds { get; init; }
}
