using Repro.Domain;
using Repro.Storage;

namespace Repro.Data;

/// <summary>
/// Removes cache blobs nothing refers to. By default a blob is kept when any pointer file in
/// the workspace or any recorded run (inputs, outputs, params files, code patch or tree, logs,
/// metrics sources, and every file of a recorded folder) refers to it; with
/// <c>includeRuns: false</c> only pointer files count. An unreadable pointer file stops it
/// before anything is removed.
/// </summary>
public sealed class CacheCollector(ContentCache cache, DataTracker tracker, IRunStore store)
{
    public async Task<GcResult> CollectAsync(bool includeRuns, bool dryRun, CancellationToken cancellationToken)
    {
        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in tracker.FindAll())
        {
            keep.Add(item.Pointer.Sha256);
            if (item.Pointer.IsFolder && cache.Contains(item.Pointer.Sha256))
            {
                foreach (var entry in await tracker.ReadListingAsync(item, cancellationToken))
                {
                    keep.Add(entry.Sha256);
                }
            }
        }

        if (includeRuns)
        {
            foreach (var summary in await store.ListAsync(new RunQuery { Limit = 0 }, cancellationToken))
            {
                var run = await store.GetAsync(summary.Id, cancellationToken);
                if (run is not null)
                {
                    await KeepRunAsync(run.Manifest, keep, cancellationToken);
                }
            }
        }

        var removed = new List<(string, long)>();
        foreach (var sha in cache.EnumerateBlobs().ToList())
        {
            if (keep.Contains(sha))
            {
                continue;
            }

            var path = cache.PathFor(sha);
            var size = new FileInfo(path).Length;
            if (!dryRun)
            {
                File.SetAttributes(path, FileAttributes.Normal);
                File.Delete(path);
            }

            removed.Add((sha, size));
        }

        return new GcResult(removed, keep.Count, dryRun);
    }

    private async Task KeepRunAsync(RunManifest run, HashSet<string> keep, CancellationToken cancellationToken)
    {
        foreach (var artifact in run.Deps.Concat(run.Outputs).Concat(run.ParamsFiles).Concat(run.Metrics.Sources))
        {
            if (artifact.Sha256 is null)
            {
                continue;
            }

            keep.Add(artifact.Sha256);
            if (artifact.Kind == ArtifactKind.Dir)
            {
                await KeepListingAsync(artifact.Sha256, keep, cancellationToken);
            }
        }

        if (run.Code.Diff is { } diff)
        {
            keep.Add(diff.Sha256);
        }

        if (run.Code.Tree is { } tree)
        {
            keep.Add(tree.Sha256);
            await KeepListingAsync(tree.Sha256, keep, cancellationToken);
        }

        foreach (var log in new[] { run.Execution.Stdout.Sha256, run.Execution.Stderr.Sha256 })
        {
            if (log is not null)
            {
                keep.Add(log);
            }
        }
    }

    private async Task KeepListingAsync(string sha256, HashSet<string> keep, CancellationToken cancellationToken)
    {
        if (!cache.Contains(sha256))
        {
            return;
        }

        try
        {
            foreach (var entry in await DirectoryListing.ReadAsync(cache, sha256, cancellationToken))
            {
                keep.Add(entry.Sha256);
            }
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw ReproException.CannotExecute($"the cached folder listing {sha256[..12]} is unreadable ({ex.Message}); nothing was removed (run `repro data fsck`)");
        }
    }
}
