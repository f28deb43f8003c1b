namespace Repro.Blobs.Data;

/// <summary>One tracked path's state; <see cref="CurrentSha256"/> is null when the path is missing.</summary>
public sealed record DataStatus(string Path, DataState State, string RecordedSha256, string? CurrentSha256)
{
    /// <summary>The state as users read it and as <c>--json</c> prints it.</summary>
    public string StateText => State switch
    {
        DataState.Unchanged => "unchanged",
        DataState.Modified => "modified",
        DataState.Missing => "missing",
        _ => "not in cache",
    };
}
