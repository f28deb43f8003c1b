using System.Collections.Concurrent;
using System.Security.Cryptography;
using Repro.Blobs.Hashing;
using Repro.Blobs.Remotes;

namespace Repro.Blobs.Data;

/// <summary>
/// Re-hashes every blob a remote holds, streamed, nothing written locally: what a push
/// killed half-way, or several pushes at once, must leave behind is blobs whose bytes match
/// their names and nothing else under a hash.
/// </summary>
public sealed class RemoteChecker(IRemote remote, int jobs)
{
    private const int Chunk = 1 << 20;

    public async Task<RemoteCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        var blobs = (await remote.ListAsync(cancellationToken)).Order(StringComparer.Ordinal).ToList();
        var corrupt = new ConcurrentBag<string>();
        var vanished = new ConcurrentBag<string>();
        long bytes = 0;
        await Parallel.ForEachAsync(
            blobs,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, jobs), CancellationToken = cancellationToken },
            async (sha, ct) =>
            {
                await using var stream = await remote.OpenReadAsync(sha, ct);
                if (stream is null)
                {
                    // Listed a moment ago, gone now: another client's gc, not damage.
                    vanished.Add(sha);
                    return;
                }

                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[Chunk];
                int read;
                long size = 0;
                while ((read = await stream.ReadAsync(buffer, ct)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    size += read;
                }

                Interlocked.Add(ref bytes, size);
                if (Sha256Hasher.ToHex(hash.GetHashAndReset()) != sha)
                {
                    corrupt.Add(sha);
                }
            });

        return new RemoteCheckResult
        {
            Checked = blobs.Count - vanished.Count,
            Bytes = bytes,
            Corrupt = corrupt.Order(StringComparer.Ordinal).ToList(),
        };
    }
}
