using Repro.Model.Workspaces;
using Repro.Ports;
using Repro.Storage.Sql.StatCache;

namespace Repro.Storage.Sql;

/// <summary>The SQL adapter's <see cref="IStoreProvider"/>: the store where <see cref="StoreLocation"/> says, one database shared by the runs and the modules.</summary>
public sealed class SqlStoreProvider : IStoreProvider
{
    public static SqlStoreProvider Instance { get; } = new();

    public async Task<OpenedStore> OpenAsync(Workspace workspace, Func<string, string?> variable, CancellationToken cancellationToken) =>
        await OpenAtAsync(await StoreLocation.ResolveAsync(workspace, variable, cancellationToken), variable, cancellationToken);

    /// <summary>A store named explicitly; <paramref name="variable"/> supplies PGPASSWORD and the like.</summary>
    public static async Task<OpenedStore> OpenAtAsync(StoreLocation location, Func<string, string?> variable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        var database = await location.OpenDatabaseAsync(variable, cancellationToken);
        try
        {
            var runs = await SqlRunStore.OpenAsync(database, ownsDatabase: false, cancellationToken);
            return new OpenedStore { Runs = runs, Database = database };
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    public IStatCacheFactory StatCaches(string stateDatabase) => new SqliteStatCacheFactory(stateDatabase);
}
