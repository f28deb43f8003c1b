using System.Collections.Concurrent;
using Repro.Blobs.Remotes;
using Repro.Blobs.Storage;

namespace Repro.Blobs.Data;

/// <summary>
/// Fetches blobs the cache lacks from a remote, several at a time, each verified by hash before it
/// becomes visible. Counters: [0] fetched, [1] bytes fetched, [2] already in the cache.
/// </summary>
internal static class BlobFetch
{
    public static async Task FetchAsync(ContentCache cache, IRemote remote, ParallelOptions options, IReadOnlyList<(string Sha256, string Label)> blobs, ConcurrentBag<string> missing, ConcurrentBag<string> corrupt, long[] counters)
    {
        var todo = new List<(string Sha256, string Label)>();
        foreach (var blob in blobs)
        {
            if (cache.Contains(blob.Sha256))
            {
                Interlocked.Increment(ref counters[2]);
            }
            else
            {
                todo.Add(blob);
            }
        }

        await Parallel.ForEachAsync(todo, options, async (blob, ct) =>
        {
            await using var stream = await remote.OpenReadAsync(blob.Sha256, ct);
            if (stream is null)
            {
                missing.Add($"{blob.Label} ({blob.Sha256[..12]})");
                return;
            }

            var actual = await cache.AddStreamAsync(stream, blob.Sha256, ct);
            if (actual is not null)
            {
                corrupt.Add($"{blob.Label} ({blob.Sha256[..12]}: the remote sent bytes hashing to {actual[..12]})");
                return;
            }

            Interlocked.Increment(ref counters[0]);
            Interlocked.Add(ref counters[1], new FileInfo(cache.PathFor(blob.Sha256)).Length);
        });
    }
}
