namespace Repro.Interop.Tracking;

/// <summary>A runs/search request as MLflow clients send it (view type and all unparsed); the search engine gets it as a <see cref="Repro.Blobs.Storage.Search.RunSearchQuery"/>.</summary>
public sealed record RunSearchRequest
{
    public IReadOnlyList<string> ExperimentIds { get; init; } = [];

    public string? Filter { get; init; }

    /// <summary>ACTIVE_ONLY, DELETED_ONLY or ALL.</summary>
    public string ViewType { get; init; } = "ACTIVE_ONLY";

    public int MaxResults { get; init; } = 1000;

    public IReadOnlyList<string> OrderBy { get; init; } = [];

    public string? PageToken { get; init; }
}
