using System.Collections.Immutable;

namespace Repro.Checks.Lint;

/// <summary>A model trained (<c>fit</c>) on data: which sources and fitted steps the training data carries.</summary>
public sealed record TrainEvent
{
    public required PyNode Node { get; init; }

    public required ImmutableHashSet<int> Atoms { get; init; }

    public required ImmutableHashSet<int> Taints { get; init; }

    public required DataPart Parts { get; init; }

    /// <summary>The training data as written (<c>X_train</c>), to tell it from the data a model predicts on.</summary>
    public required string Data { get; init; }
}
