namespace Repro.Blobs.Data;

/// <summary>What <c>data fsck --check-remote</c> found on the remote: blobs re-hashed, their bytes, and those whose bytes do not match their names.</summary>
public sealed record RemoteCheckResult
{
    public required int Checked { get; init; }

    public required long Bytes { get; init; }

    public required IReadOnlyList<string> Corrupt { get; init; }
}
