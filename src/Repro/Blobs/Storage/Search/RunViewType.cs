namespace Repro.Blobs.Storage.Search;

/// <summary>MLflow's run_view_type: which lifecycle stages a search sees (needs the store to know each run's lifecycle stage).</summary>
public enum RunViewType
{
    ActiveOnly,
    DeletedOnly,
    All,
}
