using Repro.Hashing;

namespace Repro.Bench;

/// <summary>Passes every call to the real stat cache and counts hits, to show the warm pass really used it.</summary>
public sealed class CountingStatCache(IStatCache inner) : IStatCache
{
    private long _hits;

    public long Hits => Interlocked.Read(ref _hits);

    public bool TryGet(string path, FileStamp stamp, out string sha256)
    {
        var hit = inner.TryGet(path, stamp, out sha256);
        if (hit)
        {
            Interlocked.Increment(ref _hits);
        }

        return hit;
    }

    public void Put(string path, FileStamp stamp, string sha256) => inner.Put(path, stamp, sha256);

    public Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
}
