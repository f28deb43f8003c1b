namespace Repro.Interop.Tracking;

/// <summary>MLflow's runs/search: its filter grammar and order_by over the tracked runs, a page at a time.</summary>
public interface ITrackedRunSearch
{
    Task<(IReadOnlyList<MlflowRun> Runs, string? NextPageToken)> SearchRunsAsync(RunSearchRequest search, CancellationToken cancellationToken);
}
