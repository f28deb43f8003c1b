using Repro.Model;

namespace Repro.Blobs.Storage.Search;

/// <summary>
/// What the runs table or MLflow's runs/search asks for: an MLflow filter string, order_by
/// items, a page size and the opaque token of the page before, plus the plain filters of the
/// UI (all AND-ed together).
/// </summary>
public sealed record RunSearchQuery
{
    /// <summary>MLflow's SEARCH_MAX_RESULTS_THRESHOLD.</summary>
    public const int MaxResultsLimit = 50_000;

    /// <summary>An MLflow filter: <c>metrics.acc &gt; 0.9 AND params.lr = '0.01'</c>.</summary>
    public string? Filter { get; init; }

    /// <summary>order_by items, most significant first; newest first (ties by id) always follows.</summary>
    public IReadOnlyList<string> OrderBy { get; init; } = [];

    public int MaxResults { get; init; } = 1000;

    /// <summary>The <see cref="RunSearchResult.NextPageToken"/> of the previous page; null for the first.</summary>
    public string? PageToken { get; init; }

    /// <summary>Whether to count every match too (the UI's pager); the API leaves it off.</summary>
    public bool CountTotal { get; init; } = true;

    /// <summary>
    /// Only the page's run ids, in order (<see cref="RunSearchResult.Ids"/>), not their rows: for a
    /// caller that reads the runs its own way (the MLflow API reads them with their tracking
    /// columns), which would otherwise pay for reading every run of the page twice.
    /// </summary>
    public bool IdsOnly { get; init; }

    /// <summary>Only runs with exactly this name.</summary>
    public string? Name { get; init; }

    /// <summary>Only runs whose name contains this text, ignoring case.</summary>
    public string? NameContains { get; init; }

    /// <summary>Only runs with one of these statuses (empty: any).</summary>
    public IReadOnlyList<RunStatus> Statuses { get; init; } = [];

    /// <summary>Only runs of these kinds: run, verification, study, ... (empty: any).</summary>
    public IReadOnlyList<string> Kinds { get; init; } = [];

    /// <summary>Only the children (seeds, verifications) of this run.</summary>
    public string? ParentId { get; init; }

    /// <summary>MLflow experiment ids (empty: all); only a store that tracks experiments can filter by them.</summary>
    public IReadOnlyList<string> ExperimentIds { get; init; } = [];

    public RunViewType ViewType { get; init; } = RunViewType.ActiveOnly;
}
