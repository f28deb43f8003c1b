namespace Repro.Blobs.Storage.Search;

/// <summary>Searches the stored runs with MLflow's filter grammar: filtered, sorted, keyset-paged and counted by the store.</summary>
public interface IRunSearch
{
    Task<RunSearchResult> SearchAsync(RunSearchQuery query, CancellationToken cancellationToken);
}
