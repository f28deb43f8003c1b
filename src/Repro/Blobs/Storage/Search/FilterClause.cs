namespace Repro.Blobs.Storage.Search;

/// <summary>
/// One <c>entity.key comparator value</c> of a filter. Exactly one of <see cref="Text"/>,
/// <see cref="Number"/> and <see cref="List"/> is set, as the entity and comparator require.
/// </summary>
public sealed record FilterClause
{
    public required FilterEntity Entity { get; init; }

    /// <summary>The metric, param or tag key; for attributes the canonical name (<c>created</c> is <c>start_time</c>).</summary>
    public required string Key { get; init; }

    public required FilterComparator Comparator { get; init; }

    public string? Text { get; init; }

    public double? Number { get; init; }

    public IReadOnlyList<string>? List { get; init; }
}
