using Repro.Blobs.Storage;

namespace Repro.Blobs.Data;

/// <summary>
/// Removes cache blobs nothing refers to. By default a blob is kept when any pointer file in
/// the workspace or any recorded run (inputs, outputs, params files, code patch or tree, logs,
/// metrics sources, and every file of a recorded folder) refers to it; with
/// <c>includeRuns: false</c> only pointer files count. An unreadable pointer file stops it
/// before anything is removed.
/// </summary>
public sealed class CacheCollector(ContentCache cache, DataTracker tracker, IRunStore store)
{
    /// <summary>How old a temp file in the cache must be before gc takes it for the leftover of a killed write.</summary>
    public static readonly TimeSpan StaleTempAge = TimeSpan.FromHours(1);

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
                    keep.UnionWith((await RunBlobs.CollectAsync(run.Manifest, cache, cancellationToken)).Select(u => u.Sha256));
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
                DeleteReadOnly(path);
            }

            removed.Add((sha, size));
        }

        // Left by a process killed between writing a blob and renaming it into place; an hour
        // old at least, so a write still under way elsewhere is never touched.
        var stale = cache.EnumerateStaleTempFiles(DateTime.UtcNow - StaleTempAge).ToList();
        if (!dryRun)
        {
            foreach (var (path, _) in stale)
            {
                DeleteReadOnly(path);
            }
        }

        return new GcResult(removed, keep.Count, dryRun) { StaleTempFiles = stale };
    }

    /// <summary>Blobs and their temp files are created read-only.</summary>
    private static void DeleteReadOnly(string path)
    {
        File.SetAttributes(path, FileAttributes.Normal);
        File.Delete(path);
    }
}
