using System.Collections.Immutable;

namespace Repro.Checks.Lint;

/// <summary>
/// What the leakage analysis knows about a value: which data it derives from (atoms: one per data
/// source or split output), which fitted preprocessing it carries (taints: fit events), which side
/// of a split it is on, and, for an object such as an estimator, its identity and class.
/// </summary>
public sealed record FlowValue
{
    public static FlowValue Empty { get; } = new();

    public ImmutableHashSet<int> Atoms { get; init; } = [];

    public ImmutableHashSet<int> Taints { get; init; } = [];

    public DataPart Parts { get; init; }

    /// <summary>Models whose predictions this value holds ("*" in front: several models, built in a loop).</summary>
    public ImmutableHashSet<string> PredictedBy { get; init; } = [];

    public int? ObjectId { get; init; }

    /// <summary>Qualified class of an object built by a constructor call, e.g. "sklearn.preprocessing.StandardScaler".</summary>
    public string? Class { get; init; }

    /// <summary>Stands for several objects (an element of a list of models, or built anew in a loop).</summary>
    public bool Many { get; init; }

    /// <summary>Elements of a tuple or list, for unpacking.</summary>
    public IReadOnlyList<FlowValue>? Elements { get; init; }

    /// <summary>Read from a file or a dataset loader: unpacking it gives separate data ((x_train, y_train), (x_test, y_test) = load_data()).</summary>
    public bool IsSource { get; init; }

    /// <summary>Iterating yields <see cref="Elements"/> as one tuple per step (a CV splitter's folds).</summary>
    public bool Pairs { get; init; }

    /// <summary>
    /// How many rows each value has (labels.value_counts()): its min or max is a row count, not a
    /// statistic of the values, so it learns nothing a split would hide (a sampling_strategy of
    /// {minority: majority_count // 30}).
    /// </summary>
    public bool Counts { get; init; }

    /// <summary>
    /// Statistics (fit events) this value's rows are made of, one row per group
    /// (<c>df.groupby(k).mean()</c>): each row describes only its own group, so splitting the
    /// aggregate itself leaks nothing; joined back onto other rows (<c>df[k].map(means)</c>,
    /// <c>df.merge(means)</c>) the statistic becomes a taint of those rows.
    /// </summary>
    public ImmutableHashSet<int> Aggregates { get; init; } = [];

    /// <summary>
    /// Scores of the test split (indices of score events) this value was derived from: a threshold
    /// read off <c>roc_curve(y_test, p)</c>, a setting picked by a test score.
    /// </summary>
    public ImmutableHashSet<int> ChosenBy { get; init; } = [];

    public static FlowValue Union(IEnumerable<FlowValue> values)
    {
        var atoms = ImmutableHashSet.CreateBuilder<int>();
        var taints = ImmutableHashSet.CreateBuilder<int>();
        var aggregates = ImmutableHashSet.CreateBuilder<int>();
        var chosen = ImmutableHashSet.CreateBuilder<int>();
        var predicted = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        var parts = DataPart.None;
        var many = false;
        var list = values as IReadOnlyList<FlowValue> ?? values.ToList();
        foreach (var value in list)
        {
            atoms.UnionWith(value.Atoms);
            taints.UnionWith(value.Taints);
            aggregates.UnionWith(value.Aggregates);
            chosen.UnionWith(value.ChosenBy);
            predicted.UnionWith(value.PredictedBy);
            parts |= value.Parts;
            many |= value.Many || value.Elements is { Count: > 1 };
        }

        return new FlowValue { Atoms = atoms.ToImmutable(), Taints = taints.ToImmutable(), Aggregates = aggregates.ToImmutable(), ChosenBy = chosen.ToImmutable(), PredictedBy = predicted.ToImmutable(), Parts = parts, Many = many };
    }

    public static FlowValue Union(params FlowValue[] values) => Union((IEnumerable<FlowValue>)values);

    /// <summary>
    /// <paramref name="result"/> of putting an aggregate's values on other rows (<c>df[k].map(means)</c>,
    /// <c>df.merge(means)</c>, <c>means[df[k]]</c>, <c>df[c] - means</c>): a statistic of the aggregate
    /// that some of those rows were not made of is now theirs, a taint.
    /// </summary>
    public static FlowValue Joined(FlowValue result, params FlowValue[] values)
    {
        var aggregates = values.SelectMany(v => v.Aggregates).ToImmutableHashSet();
        var handed = values.Where(v => !v.Atoms.IsEmpty && !aggregates.IsSubsetOf(v.Aggregates)).SelectMany(v => aggregates.Except(v.Aggregates)).ToList();
        return handed.Count == 0 ? result : result with { Taints = result.Taints.Union(handed) };
    }
}
