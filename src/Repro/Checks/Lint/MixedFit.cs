namespace Repro.Checks.Lint;

/// <summary>A preprocessing, selection or over-sampling step fitted on rows of both sides of a split (the parts joined again).</summary>
public sealed record MixedFit
{
    public required LeakKind Kind { get; init; }

    /// <summary>What was fitted, as the message names it: "StandardScaler".</summary>
    public required string What { get; init; }

    public required PyNode Node { get; init; }
}
