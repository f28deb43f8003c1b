using Repro.Blobs.Hashing;
using Repro.Blobs.Storage;
using Repro.Model.Workspaces;
using Repro.Platform.Diagnostics;
using Repro.Ports;
using Repro.Storage.Sql;

namespace Repro.Cli;

/// <summary>
/// The workspace around the command's working folder, its run store and its cache, opened once per command.
/// The store is opened by the registered <see cref="IStoreProvider"/> (<see cref="Adapters.Stores"/>)
/// once, and shared by the runs and by the modules with tables of their own.
/// </summary>
public sealed class WorkspaceSession : IAsyncDisposable
{
    private readonly Task<OpenedStore> _opened;

    private WorkspaceSession(Workspace workspace, Task<OpenedStore> opened, IRunStore store)
    {
        Workspace = workspace;
        _opened = opened;
        Store = store;
        Cache = new ContentCache(workspace.CachePath);
    }

    public Workspace Workspace { get; }

    public IRunStore Store { get; }

    public ContentCache Cache { get; }

    /// <summary>The store's database, for modules that keep their own tables beside the runs (tracking, models, studies).</summary>
    public async Task<IStoreDatabase> OpenDatabaseAsync(CancellationToken cancellationToken) => (await _opened.WaitAsync(cancellationToken)).Database;

    /// <summary>The stat caches in the workspace's state file.</summary>
    public IStatCacheFactory StatCaches => Adapters.StatCaches(Workspace.StatePath);

    /// <summary>The sha256 stat cache, new for each call (a caller flushes its own).</summary>
    public IStatCache StatCache() => StatCaches.Open("sha256");

    /// <summary>The workspace around the context's working folder, its store where the context's environment and the config say.</summary>
    public static async Task<WorkspaceSession> OpenAsync(CliContext context, CancellationToken cancellationToken)
    {
        var workspace = context.RequireWorkspace();
        var opened = await Timed(Adapters.Stores.OpenAsync(workspace, context.Variable, cancellationToken));
        return new WorkspaceSession(workspace, Task.FromResult(opened), opened.Runs);
    }

    /// <summary>A given workspace and store; <paramref name="variable"/> supplies PGPASSWORD and the like.</summary>
    public static async Task<WorkspaceSession> OpenAsync(Workspace workspace, StoreLocation location, Func<string, string?> variable, CancellationToken cancellationToken)
    {
        var opened = await Timed(SqlStoreProvider.OpenAtAsync(location, variable, cancellationToken));
        return new WorkspaceSession(workspace, Task.FromResult(opened), opened.Runs);
    }

    /// <summary>
    /// The workspace at once, its store opened on another thread (loading SQLite and checking the
    /// schema take tens of milliseconds of start-up): the command does its own preparation
    /// meanwhile, and every store call waits for the open.
    /// </summary>
    public static WorkspaceSession OpenInBackground(CliContext context, CancellationToken cancellationToken)
    {
        var workspace = context.RequireWorkspace();
        var opened = Task.Run(() => Timed(Adapters.Stores.OpenAsync(workspace, context.Variable, cancellationToken)), cancellationToken);
        return new WorkspaceSession(workspace, opened, new OpeningRunStore(StoreOf(opened)));

        static async Task<IRunStore> StoreOf(Task<OpenedStore> opening) => (await opening).Runs;
    }

    public async ValueTask DisposeAsync()
    {
        OpenedStore opened;
        try
        {
            opened = await _opened;
        }
        catch (Exception ex) when (ex is ReproException or OperationCanceledException or System.Data.Common.DbException)
        {
            // Never opened: the command waited for it and reported why, or stopped before it needed it.
            return;
        }

        if (!ReferenceEquals(Store, opened.Runs))
        {
            await Store.DisposeAsync();
        }

        await opened.Runs.DisposeAsync();
        await opened.Database.DisposeAsync();
    }

    private static async Task<OpenedStore> Timed(Task<OpenedStore> opening)
    {
        var opened = await opening;
        PhaseTimings.Mark("store opened");
        return opened;
    }
}
