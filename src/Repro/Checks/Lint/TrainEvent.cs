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

    /// <summary>The model's object id, when the flow knows it.</summary>
    public string? Model { get; init; }

    /// <summary>Whether the fit was given labels too (<c>fit(X, y)</c>): a supervised model.</summary>
    public bool Labelled { get; init; }

    /// <summary>Which side of a split the features (the first argument) are.</summary>
    public DataPart FeatureParts { get; init; }

    public int Order { get; init; }
}
