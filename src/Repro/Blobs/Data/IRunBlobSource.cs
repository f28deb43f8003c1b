using Repro.Model;

namespace Repro.Blobs.Data;

/// <summary>
/// Where a run's blobs this cache lacks come from before it is re-run (a shared store's run
/// recorded on another machine): the port verify fetches through, so it never opens a remote itself.
/// </summary>
public interface IRunBlobSource
{
    /// <summary>Fetches what the cache lacks of <paramref name="run"/>, each blob verified by hash; what could not be fetched is named, not thrown.</summary>
    Task<RunBlobFetch> FetchMissingAsync(RunManifest run, CancellationToken cancellationToken);
}
