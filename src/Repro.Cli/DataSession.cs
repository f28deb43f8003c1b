using Repro.Blobs.Hashing;
using Repro.Blobs.Storage;
using Repro.Model.Workspaces;
using Repro.Platform.Diagnostics;

namespace Repro.Cli;

/// <summary>
/// The workspace around the command's working folder and its cache, for the data commands that never read
/// or write runs (add, status, checkout, push and pull of tracked data): they skip opening the run
/// store, which costs a tenth of a second or more, and also work while the store cannot be reached.
/// </summary>
public sealed class DataSession
{
    private DataSession(Workspace workspace)
    {
        Workspace = workspace;
        Cache = new ContentCache(workspace.CachePath);
    }

    public Workspace Workspace { get; }

    public ContentCache Cache { get; }

    public static DataSession Open(CliContext context)
    {
        var session = new DataSession(context.RequireWorkspace());
        PhaseTimings.Mark("workspace found");
        return session;
    }

    /// <summary>The stat caches in the workspace's state file.</summary>
    public IStatCacheFactory StatCaches => Adapters.StatCaches(Workspace.StatePath);

    /// <summary>The stat cache of this workspace (<c>.repro/state.db</c> and its folder snapshots).</summary>
    public IStatCache StatCache() => StatCaches.Open("sha256");
}
