using Repro.Storage;
using Repro.Storage.Sql;
using Repro.Workspaces;

namespace Repro.Cli;

/// <summary>The workspace around the current folder, its run store and its cache, opened once per command.</summary>
public sealed class WorkspaceSession : IAsyncDisposable
{
    private SqlDatabase? _database;

    private WorkspaceSession(Workspace workspace, IRunStore store)
    {
        Workspace = workspace;
        Store = store;
        Cache = new ContentCache(workspace.CachePath);
    }

    public Workspace Workspace { get; }

    public IRunStore Store { get; }

    public ContentCache Cache { get; }

    /// <summary>The store's database, for modules that keep their own tables beside the runs (tracking, models); opened on first use.</summary>
    public async Task<SqlDatabase> OpenDatabaseAsync(CancellationToken cancellationToken) =>
        _database ??= await SqlDatabase.OpenSqliteAsync(Workspace.DatabasePath, cancellationToken);

    public static async Task<WorkspaceSession> OpenAsync(CancellationToken cancellationToken)
    {
        var workspace = Workspace.Require(Environment.CurrentDirectory);
        var store = await SqliteRunStore.OpenAsync(workspace.DatabasePath, cancellationToken);
        return new WorkspaceSession(workspace, store);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
