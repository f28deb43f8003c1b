using Repro.Diagnostics;
using Repro.Storage;
using Repro.Storage.Sql;
using Repro.Workspaces;

namespace Repro.Cli;

/// <summary>
/// The workspace around the current folder, its run store and its cache, opened once per command.
/// The store is wherever <see cref="StoreLocation"/> says (SQLite file or PostgreSQL server); its
/// database is opened once and shared by the runs and by the modules with tables of their own.
/// </summary>
public sealed class WorkspaceSession : IAsyncDisposable
{
    private readonly SqlDatabase _database;

    private WorkspaceSession(Workspace workspace, StoreLocation location, SqlDatabase database, IRunStore store)
    {
        Workspace = workspace;
        Location = location;
        _database = database;
        Store = store;
        Cache = new ContentCache(workspace.CachePath);
    }

    public Workspace Workspace { get; }

    public StoreLocation Location { get; }

    public IRunStore Store { get; }

    public ContentCache Cache { get; }

    /// <summary>The store's database, for modules that keep their own tables beside the runs (tracking, models).</summary>
    public Task<SqlDatabase> OpenDatabaseAsync(CancellationToken cancellationToken) => Task.FromResult(_database);

    public static async Task<WorkspaceSession> OpenAsync(CancellationToken cancellationToken)
    {
        var workspace = Workspace.Require(Environment.CurrentDirectory);
        var location = await StoreLocation.ResolveAsync(workspace, Environment.GetEnvironmentVariable, cancellationToken);
        return await OpenAsync(workspace, location, cancellationToken);
    }

    public static async Task<WorkspaceSession> OpenAsync(Workspace workspace, StoreLocation location, CancellationToken cancellationToken)
    {
        var database = await location.OpenDatabaseAsync(Environment.GetEnvironmentVariable, cancellationToken);
        try
        {
            var store = await SqlRunStore.OpenAsync(database, ownsDatabase: false, cancellationToken);
            PhaseTimings.Mark("store opened");
            return new WorkspaceSession(workspace, location, database, store);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        await _database.DisposeAsync();
    }
}
