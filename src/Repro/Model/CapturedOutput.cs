namespace Repro.Model;

/// <summary>A copy of stdout or stderr in the cache, with the cap that applied.</summary>
public sealed record CapturedOutput
{
    public string? Sha256 { get; init; }

    /// <summary>Bytes kept in the blob.</summary>
    public long Size { get; init; }

    /// <summary>Bytes the command wrote.</summary>
    public long TotalBytes { get; init; }

    public bool Truncated { get; init; }

    public long CapBytes { get; init; }
}
