using System.Collections.Concurrent;
using Repro.Blobs.Remotes;
using Repro.Blobs.Storage;

namespace Repro.Blobs.Data;

/// <summary>
/// Moves the blobs tracked data needs between the cache and a remote: only those the other side
/// lacks, <c>jobs</c> at a time, each verified by hash before it becomes visible. A folder
/// moves as its listing plus every file; on push the files go first and the listing last.
/// Since a blob appears whole or not at all, running an interrupted transfer again resumes it.
/// </summary>
public sealed class DataTransfer
{
    private readonly ContentCache _cache;
    private readonly IRemote _remote;
    private readonly DataTracker _tracker;
    private readonly int _jobs;

    public DataTransfer(ContentCache cache, IRemote remote, DataTracker tracker, int jobs)
    {
        if (jobs < 1)
        {
            throw ReproException.Usage("-j must be 1 or more");
        }

        _cache = cache;
        _remote = remote;
        _tracker = tracker;
        _jobs = jobs;
    }

    public async Task<TransferResult> PushAsync(IReadOnlyList<TrackedData> items, CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var listings = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var item in items)
        {
            if (!item.Pointer.IsFolder)
            {
                files.TryAdd(item.Pointer.Sha256, item.Relative);
                continue;
            }

            if (!_cache.Contains(item.Pointer.Sha256))
            {
                missing.Add($"{item.Relative} (folder listing {item.Pointer.Sha256[..12]})");
                continue;
            }

            foreach (var entry in await _tracker.ReadListingAsync(item, cancellationToken))
            {
                files.TryAdd(entry.Sha256, $"{item.Relative}/{entry.Path}");
            }

            listings.TryAdd(item.Pointer.Sha256, item.Relative);
        }

        var present = await _remote.ListAsync(cancellationToken);
        var already = 0;
        var moved = 0;
        long bytes = 0;
        foreach (var batch in new[] { files, listings })
        {
            var todo = new List<string>();
            foreach (var (sha, label) in batch)
            {
                if (present.Contains(sha))
                {
                    already++;
                }
                else if (!_cache.Contains(sha))
                {
                    missing.Add($"{label} ({sha[..12]})");
                }
                else
                {
                    todo.Add(sha);
                }
            }

            await Parallel.ForEachAsync(todo, Options(cancellationToken), async (sha, ct) =>
            {
                var path = _cache.PathFor(sha);
                await _remote.PutAsync(sha, path, ct);
                Interlocked.Increment(ref moved);
                Interlocked.Add(ref bytes, new FileInfo(path).Length);
            });
        }

        return new TransferResult { Transferred = moved, Bytes = bytes, AlreadyThere = already, Missing = missing };
    }

    public async Task<TransferResult> PullAsync(IReadOnlyList<TrackedData> items, CancellationToken cancellationToken)
    {
        var missing = new ConcurrentBag<string>();
        var corrupt = new ConcurrentBag<string>();
        var counters = new long[3];

        // First the file blobs and folder listings the pointers name, then the files the listings name.
        var first = items.Select(i => (i.Pointer.Sha256, i.Relative + (i.Pointer.IsFolder ? " (folder listing)" : string.Empty))).DistinctBy(p => p.Sha256).ToList();
        await FetchAsync(first, missing, corrupt, counters, cancellationToken);

        var second = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items.Where(i => i.Pointer.IsFolder && _cache.Contains(i.Pointer.Sha256)))
        {
            foreach (var entry in await _tracker.ReadListingAsync(item, cancellationToken))
            {
                second.TryAdd(entry.Sha256, $"{item.Relative}/{entry.Path}");
            }
        }

        await FetchAsync(second.Select(p => (p.Key, p.Value)).ToList(), missing, corrupt, counters, cancellationToken);
        return new TransferResult
        {
            Transferred = (int)counters[0],
            Bytes = counters[1],
            AlreadyThere = (int)counters[2],
            Missing = missing.Order(StringComparer.Ordinal).ToList(),
            Corrupt = corrupt.Order(StringComparer.Ordinal).ToList(),
        };
    }

    /// <summary>Fetches one blob into the cache, verified; false when the remote lacks it or sent other bytes.</summary>
    public async Task<bool> FetchOneAsync(string sha256, CancellationToken cancellationToken)
    {
        await using var stream = await _remote.OpenReadAsync(sha256, cancellationToken);
        return stream is not null && await _cache.AddStreamAsync(stream, sha256, cancellationToken) is null;
    }

    private Task FetchAsync(List<(string Sha256, string Label)> blobs, ConcurrentBag<string> missing, ConcurrentBag<string> corrupt, long[] counters, CancellationToken cancellationToken) =>
        BlobFetch.FetchAsync(_cache, _remote, Options(cancellationToken), blobs, missing, corrupt, counters);

    private ParallelOptions Options(CancellationToken cancellationToken) => new() { MaxDegreeOfParallelism = _jobs, CancellationToken = cancellationToken };
}
