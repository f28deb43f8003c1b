namespace Repro.Blobs.Data;

/// <summary>
/// What <c>data gc</c> removed (or would remove): blobs, their bytes, how many were kept, and the
/// temp files interrupted writes had left in the cache.
/// </summary>
public sealed record GcResult(IReadOnlyList<(string Sha256, long Size)> Removed, int Kept, bool DryRun)
{
    public long Bytes => Removed.Sum(r => r.Size);

    public IReadOnlyList<(string Path, long Size)> StaleTempFiles { get; init; } = [];
}
