using System.Collections.Immutable;

namespace Repro.Checks.Lint;

/// <summary>A model scored or asked to predict (<c>score</c>, <c>predict</c>…) or a metric computed.</summary>
public sealed record ScoreEvent
{
    public required PyNode Node { get; init; }

    /// <summary>True for a score or metric, false for a bare prediction.</summary>
    public required bool IsScore { get; init; }

    /// <summary>Who was scored: an object id, a variable name, or null for a metric function.</summary>
    public string? Model { get; init; }

    public bool ManyModels { get; init; }

    /// <summary>For a metric: the models whose predictions it scores (see <see cref="FlowValue.PredictedBy"/>).</summary>
    public ImmutableHashSet<string> Predictions { get; init; } = [];

    public required DataPart Parts { get; init; }

    /// <summary>The fitted steps (fit events) the scored or predicted data carries.</summary>
    public ImmutableHashSet<int> Taints { get; init; } = [];

    /// <summary>The data as written (<c>X_test</c>), for a prediction; null for a metric.</summary>
    public string? Data { get; init; }

    public required ImmutableHashSet<int> Atoms { get; init; }

    /// <summary>
    /// The data scored is named as test data (<c>X_test</c>, <c>y_test</c>, <c>test_df</c>) where the
    /// flow saw no split: a test set made or read on its own. Counts as the test split for choosing.
    /// </summary>
    public bool NamedTest { get; init; }

    public int Order { get; init; }
}
