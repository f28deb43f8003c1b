namespace Repro.Blobs.Storage;

/// <summary>How a cache blob was placed in the workspace.</summary>
public enum LinkKind
{
    /// <summary>A copy-on-write clone: no bytes copied, independent and writable.</summary>
    Reflink,

    /// <summary>A second name for the cache blob itself: read-only, since the bytes are shared.</summary>
    Hardlink,

    /// <summary>A plain copy.</summary>
    Copy,
}
