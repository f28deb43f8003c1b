using Repro.Storage.Sql.Search;
using SearchEngine = Repro.Storage.Sql.Search.SqlRunSearch;

namespace Repro.Storage.Sql.Tracking;

public sealed partial class TrackingStore
{
    private static readonly TrackingColumns SearchColumns = new()
    {
        Table = "tracking_runs",
        ExperimentId = "experiment_id",
        UserId = "user_id",
        ArtifactUri = "artifact_uri",
        EndTime = "end_time",
        LifecycleStage = "lifecycle_stage",
    };

    /// <summary>
    /// runs/search: MLflow's filter grammar and order_by over the run store's tables (the search
    /// module turns them into parameterised SQL), runs of the given experiments in the view,
    /// newest first by default, one page at a time.
    /// </summary>
    public async Task<(IReadOnlyList<MlflowRun> Runs, string? NextPageToken)> SearchRunsAsync(RunSearchRequest search, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        var view = (search.ViewType ?? "ACTIVE_ONLY") switch
        {
            "ACTIVE_ONLY" or "1" => RunViewType.ActiveOnly,
            "DELETED_ONLY" or "2" => RunViewType.DeletedOnly,
            "ALL" or "3" => RunViewType.All,
            var other => throw TrackingException.Invalid($"Invalid value \"{other}\" for parameter 'run_view_type': expected ACTIVE_ONLY, DELETED_ONLY or ALL"),
        };
        if (search.ExperimentIds.Count == 0)
        {
            return ([], null);
        }

        RunSearchResult result;
        try
        {
            result = await _search.SearchAsync(
                new RunSearchQuery
                {
                    Filter = search.Filter,
                    OrderBy = search.OrderBy,
                    MaxResults = search.MaxResults,
                    PageToken = search.PageToken,
                    CountTotal = false,
                    IdsOnly = true,
                    ExperimentIds = search.ExperimentIds,
                    ViewType = view,
                },
                cancellationToken);
        }
        catch (SearchFilterException ex)
        {
            throw TrackingException.Invalid(ex.Message);
        }

        var page = await LoadRunsAsync(result.Ids, cancellationToken);
        return (page, result.NextPageToken);
    }
}
