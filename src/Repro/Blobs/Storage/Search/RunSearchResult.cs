namespace Repro.Blobs.Storage.Search;

/// <summary>One page of matching runs in order, the token of the next page (null on the last) and, if asked, how many match in all.</summary>
public sealed record RunSearchResult
{
    public required IReadOnlyList<SearchedRun> Runs { get; init; }

    public string? NextPageToken { get; init; }

    public long? Total { get; init; }
}
