namespace Repro.Interop.Tracking;

/// <summary>A runs/search request.</summary>
public sealed record RunSearch
{
    public IReadOnlyList<string> ExperimentIds { get; init; } = [];

    public string? Filter { get; init; }

    /// <summary>ACTIVE_ONLY, DELETED_ONLY or ALL.</summary>
    public string ViewType { get; init; } = "ACTIVE_ONLY";

    public int MaxResults { get; init; } = 1000;

    public IReadOnlyList<string> OrderBy { get; init; } = [];

    public string? PageToken { get; init; }
}
