namespace Repro.Blobs.Storage.Search;

/// <summary>One page of matching runs in order, the token of the next page (null on the last) and, if asked, how many match in all.</summary>
public sealed record RunSearchResult
{
    /// <summary>The page's runs with their rows; empty when the query asked for <see cref="RunSearchQuery.IdsOnly"/>.</summary>
    public required IReadOnlyList<SearchedRun> Runs { get; init; }

    /// <summary>The page's run ids, in order (also with <see cref="RunSearchQuery.IdsOnly"/>).</summary>
    public IReadOnlyList<string> Ids { get; init; } = [];

    public string? NextPageToken { get; init; }

    public long? Total { get; init; }
}
