namespace Repro.Data;

/// <summary>What <c>data gc</c> removed (or would remove): blobs, their bytes, and how many were kept.</summary>
public sealed record GcResult(IReadOnlyList<(string Sha256, long Size)> Removed, int Kept, bool DryRun)
{
    public long Bytes => Removed.Sum(r => r.Size);
}
