namespace Repro.Blobs.Storage.Search;

/// <summary>MLflow's run_view_type: which lifecycle stages a search sees (needs <see cref="TrackingColumns.LifecycleStage"/>).</summary>
public enum RunViewType
{
    ActiveOnly,
    DeletedOnly,
    All,
}
