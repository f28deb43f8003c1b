using System.Collections.Immutable;

namespace Repro.Checks.Lint;

/// <summary>A train/test split or a cross-validation, with what reached its inputs.</summary>
public sealed record SplitEvent
{
    public required PyNode Node { get; init; }

    /// <summary>"train_test_split", or the cross-validation that splits internally.</summary>
    public required string What { get; init; }

    public required int Order { get; init; }

    public required ImmutableHashSet<int> Atoms { get; init; }

    public required ImmutableHashSet<int> Taints { get; init; }
}
