using Repro.Blobs.Hashing;
using Repro.Model.Workspaces;

namespace Repro.Ports;

/// <summary>
/// Opens a workspace's stores. The program registers the adapter it ships (SQLite and PostgreSQL),
/// so neither the library nor the server knows a database.
/// </summary>
public interface IStoreProvider
{
    /// <summary>The store the workspace names (its environment, then its config, else the default), opened: its runs and the modules beside them.</summary>
    Task<OpenedStore> OpenAsync(Workspace workspace, Func<string, string?> variable, CancellationToken cancellationToken);

    /// <summary>The stat caches kept in a workspace's state file.</summary>
    IStatCacheFactory StatCaches(string stateDatabase);
}
