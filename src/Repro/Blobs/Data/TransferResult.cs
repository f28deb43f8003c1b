namespace Repro.Blobs.Data;

/// <summary>What a push or pull moved, what was already there, and what could not be moved.</summary>
public sealed record TransferResult
{
    public int Transferred { get; init; }

    public long Bytes { get; init; }

    public int AlreadyThere { get; init; }

    /// <summary>Blobs the source side does not have (path and short hash).</summary>
    public IReadOnlyList<string> Missing { get; init; } = [];

    /// <summary>Blobs that arrived with the wrong bytes and were discarded.</summary>
    public IReadOnlyList<string> Corrupt { get; init; } = [];
}
