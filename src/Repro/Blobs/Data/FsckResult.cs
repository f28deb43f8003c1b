namespace Repro.Blobs.Data;

/// <summary>
/// What <c>data fsck</c> found: blobs checked, corrupt ones (now quarantined), those fetched
/// again, and those still missing (found now or quarantined by an earlier fsck).
/// </summary>
public sealed record FsckResult(int Checked, IReadOnlyList<string> Corrupt, IReadOnlyList<string> Repaired)
{
    public IReadOnlyList<string> Unrepaired { get; init; } = [];
}
