namespace Repro.Blobs.Storage.Search;

/// <summary>One <c>order_by</c> item: <c>metrics.acc DESC</c>, <c>params.lr</c>, <c>attributes.start_time ASC</c>.</summary>
public sealed record OrderClause(FilterEntity Entity, string Key, bool Ascending);
