using Repro.Storage;
using Repro.Workspaces;

namespace Repro.Cli;

/// <summary>The workspace around the current folder, its run store and its cache, opened once per command.</summary>
public sealed class WorkspaceSession : IAsyncDisposable
{
    private WorkspaceSession(Workspace workspace, IRunStore store)
    {
        Workspace = workspace;
        Store = store;
        Cache = new ContentCache(workspace.CachePath);
    }

    public Workspace Workspace { get; }

    public IRunStore Store { get; }

    public ContentCache Cache { get; }

    public static async Task<WorkspaceSession> OpenAsync(CancellationToken cancellationToken)
    {
        var workspace = Workspace.Require(Environment.CurrentDirectory);
        var store = await SqliteRunStore.OpenAsync(workspace.DatabasePath, cancellationToken);
        return new WorkspaceSession(workspace, store);
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
