namespace Repro.Blobs.Data;

/// <summary>What a <see cref="IRunBlobSource"/> fetched for a run, from where, and what it could not.</summary>
public sealed record RunBlobFetch
{
    /// <summary>Nothing needed or nowhere to fetch from.</summary>
    public static RunBlobFetch None { get; } = new();

    /// <summary>The remote, as shown to users (never with a password); null when none was asked.</summary>
    public string? From { get; init; }

    public int Transferred { get; init; }

    public long Bytes { get; init; }

    /// <summary>Blobs the remote lacked or held corrupt, one line each.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];
}
