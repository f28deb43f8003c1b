using Repro.Blobs.Remotes;
using Repro.Blobs.Storage;
using Repro.Model;
using Repro.Model.Workspaces;

namespace Repro.Blobs.Data;

/// <summary>
/// The workspace's default remote as a <see cref="IRunBlobSource"/>: asked only when the cache
/// lacks one of the run's blobs, and only for those. Without a default remote nothing is fetched,
/// and the verifier reports the missing blob itself.
/// </summary>
public sealed class RemoteRunBlobSource(Workspace workspace, ContentCache cache, int jobs = 4) : IRunBlobSource
{
    public async Task<RunBlobFetch> FetchMissingAsync(RunManifest run, CancellationToken cancellationToken)
    {
        var uses = await RunBlobs.CollectAsync(run, cache, cancellationToken);
        if (uses.All(u => cache.Contains(u.Sha256)))
        {
            return RunBlobFetch.None;
        }

        if ((await RemoteConfig.ReadAsync(workspace, cancellationToken)).Default is not { } spec)
        {
            return RunBlobFetch.None;
        }

        await using var remote = RemoteUrl.Open(spec, workspace.Root);
        var result = await new RunBlobTransfer(cache, remote, jobs).PullAsync(run, cancellationToken);
        return new RunBlobFetch { From = remote.Display, Transferred = result.Transferred, Bytes = result.Bytes, Problems = result.Missing.Concat(result.Corrupt).ToList() };
    }
}
