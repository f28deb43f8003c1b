using System.Collections.Concurrent;
using Repro.Blobs.Remotes;
using Repro.Blobs.Storage;
using Repro.Model;

namespace Repro.Blobs.Data;

/// <summary>
/// Moves the blobs recorded runs refer to (inputs, outputs, logs, code patches, folder and
/// working-tree listings: <see cref="RunBlobs"/>) between the cache and a remote, so a run
/// recorded on one machine can be verified on another that shares its store. Pushing sends what
/// this cache holds and the remote lacks, listings last; blobs this cache never had belong to
/// runs recorded elsewhere and are left alone. Pulling fetches, verified, what the cache lacks.
/// </summary>
public sealed class RunBlobTransfer
{
    private readonly ContentCache _cache;
    private readonly IRemote _remote;
    private readonly int _jobs;

    public RunBlobTransfer(ContentCache cache, IRemote remote, int jobs)
    {
        if (jobs < 1)
        {
            throw ReproException.Usage("-j must be 1 or more");
        }

        _cache = cache;
        _remote = remote;
        _jobs = jobs;
    }

    public async Task<TransferResult> PushAsync(IReadOnlyList<RunManifest> runs, CancellationToken cancellationToken)
    {
        var files = new HashSet<string>(StringComparer.Ordinal);
        var listings = new HashSet<string>(StringComparer.Ordinal);
        foreach (var run in runs)
        {
            listings.UnionWith(ListingsOf(run));
            files.UnionWith((await RunBlobs.CollectAsync(run, _cache, cancellationToken)).Select(u => u.Sha256));
        }

        files.ExceptWith(listings);
        var present = await _remote.ListAsync(cancellationToken);
        var already = 0;
        var moved = 0;
        long bytes = 0;
        foreach (var batch in new[] { files, listings })
        {
            var todo = new List<string>();
            foreach (var sha in batch.Order(StringComparer.Ordinal))
            {
                if (present.Contains(sha))
                {
                    already++;
                }
                else if (_cache.Contains(sha))
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

        return new TransferResult { Transferred = moved, Bytes = bytes, AlreadyThere = already };
    }

    /// <summary>Fetches what <paramref name="run"/> needs and the cache lacks: first the blobs it names, then the files its listings name.</summary>
    public async Task<TransferResult> PullAsync(RunManifest run, CancellationToken cancellationToken)
    {
        var missing = new ConcurrentBag<string>();
        var corrupt = new ConcurrentBag<string>();
        var counters = new long[3];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var pass = 0; pass < 2; pass++)
        {
            var todo = new List<(string Sha256, string Label)>();
            foreach (var use in await RunBlobs.CollectAsync(run, _cache, cancellationToken))
            {
                if (seen.Add(use.Sha256))
                {
                    todo.Add((use.Sha256, use.What));
                }
            }

            await BlobFetch.FetchAsync(_cache, _remote, Options(cancellationToken), todo, missing, corrupt, counters);
        }

        return new TransferResult
        {
            Transferred = (int)counters[0],
            Bytes = counters[1],
            AlreadyThere = (int)counters[2],
            Missing = missing.Order(StringComparer.Ordinal).ToList(),
            Corrupt = corrupt.Order(StringComparer.Ordinal).ToList(),
        };
    }

    /// <summary>The blobs of a run that are folder listings: sent after the files they name, so a listing on the remote means its files are there.</summary>
    private static IEnumerable<string> ListingsOf(RunManifest run)
    {
        foreach (var artifact in run.Deps.Concat(run.Outputs).Concat(run.ParamsFiles).Concat(run.Metrics.Sources))
        {
            if (artifact is { Kind: ArtifactKind.Dir, Sha256: { } sha })
            {
                yield return sha;
            }
        }

        if (run.Code.Tree is { } tree)
        {
            yield return tree.Sha256;
        }
    }

    private ParallelOptions Options(CancellationToken cancellationToken) => new() { MaxDegreeOfParallelism = _jobs, CancellationToken = cancellationToken };
}
