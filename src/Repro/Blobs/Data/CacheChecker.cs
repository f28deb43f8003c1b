using Repro.Blobs.Hashing;
using Repro.Blobs.Storage;

namespace Repro.Blobs.Data;

/// <summary>
/// Re-hashes every blob in the cache. A blob whose bytes do not match its name is moved to
/// <c>cache/quarantine/</c> (kept for inspection, no longer served), and can then be fetched
/// again, verified, from a remote.
/// </summary>
public sealed class CacheChecker(ContentCache cache, TimeProvider time)
{
    public string QuarantinePath => Path.Combine(cache.Root, "quarantine");

    public async Task<FsckResult> CheckAsync(Func<string, CancellationToken, Task<bool>>? repair, CancellationToken cancellationToken)
    {
        var blobs = cache.EnumerateBlobs().ToList();
        var corrupt = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(
            blobs,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount), CancellationToken = cancellationToken },
            async (sha, ct) =>
            {
                var (actual, _) = await Sha256Hasher.HashFileAsync(cache.PathFor(sha), null, ct);
                if (actual != sha)
                {
                    corrupt.Add(sha);
                }
            });

        var stamp = time.GetUtcNow().ToString("yyyyMMddTHHmmssZ", System.Globalization.CultureInfo.InvariantCulture);
        var found = corrupt.Order(StringComparer.Ordinal).ToList();
        foreach (var sha in found)
        {
            Directory.CreateDirectory(QuarantinePath);
            File.Move(cache.PathFor(sha), Path.Combine(QuarantinePath, $"{sha}.{stamp}"), overwrite: true);
        }

        // Blobs quarantined by an earlier fsck and not fetched since are repaired too.
        var earlier = Directory.Exists(QuarantinePath)
            ? Directory.EnumerateFiles(QuarantinePath).Select(f => Path.GetFileName(f).Split('.')[0]).Where(Repro.Blobs.Data.PointerFile.IsSha256).Where(sha => !cache.Contains(sha)).Except(found).Distinct().Order(StringComparer.Ordinal).ToList()
            : [];
        var repaired = new List<string>();
        var unrepaired = new List<string>();
        if (repair is not null)
        {
            foreach (var sha in found.Concat(earlier))
            {
                (await repair(sha, cancellationToken) ? repaired : unrepaired).Add(sha);
            }
        }
        else
        {
            unrepaired.AddRange(found.Concat(earlier));
        }

        return new FsckResult(blobs.Count, found, repaired) { Unrepaired = unrepaired };
    }
}
