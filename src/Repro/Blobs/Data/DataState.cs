namespace Repro.Blobs.Data;

/// <summary>How tracked data in the workspace compares with its pointer file.</summary>
public enum DataState
{
    Unchanged,

    /// <summary>The workspace content hashes differently from the pointer.</summary>
    Modified,

    /// <summary>The tracked path is not in the workspace.</summary>
    Missing,

    /// <summary>The pointer's blob (or, for a folder, its listing or one of its files) is not in the cache.</summary>
    NotInCache,
}
