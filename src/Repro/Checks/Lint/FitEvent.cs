using System.Collections.Immutable;

namespace Repro.Checks.Lint;

/// <summary>A preprocessing, selection or over-sampling step fitted on data not yet split (or on a training part then cross-validated).</summary>
public sealed record FitEvent
{
    public required int Id { get; init; }

    public required LeakKind Kind { get; init; }

    /// <summary>What was fitted, as the message names it: "StandardScaler", "df.mean()".</summary>
    public required string What { get; init; }

    public required PyNode Node { get; init; }

    public required ImmutableHashSet<int> Atoms { get; init; }

    public required int Order { get; init; }

    /// <summary>
    /// Fitted on a training part (after a split): a leak only when that part's cross-validated
    /// scores are then the evaluation, so that each validation fold shaped the step.
    /// </summary>
    public bool OnTrainingPart { get; init; }
}
