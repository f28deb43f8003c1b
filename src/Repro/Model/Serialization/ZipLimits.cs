namespace Repro.Model.Serialization;

/// <summary>
/// How much of a zip archive repro reads (run bundles, NumPy .npz outputs): entries, what they
/// expand to in all, and one record read into memory. An entry's bytes are also held to the size
/// its header declares, so a header that lies cannot expand further. Documented in docs/limits.md.
/// </summary>
public static class ZipLimits
{
    /// <summary>Entries in one archive.</summary>
    public const long DefaultMaxEntries = 1_000_000;

    /// <summary>Bytes all entries expand to (bundles with data may be large; the disk must hold them).</summary>
    public const long DefaultMaxExpandedBytes = 64L << 30;

    /// <summary>Bytes of one entry read into memory (a bundle's index or a run record); blobs are streamed.</summary>
    public const long DefaultMaxRecordBytes = 64 << 20;

    public static InputLimit MaxEntries => InputLimit.Of("ZIP_MAX_ENTRIES", DefaultMaxEntries, "entries");

    public static InputLimit MaxExpandedBytes => InputLimit.Of("ZIP_MAX_EXPANDED_BYTES", DefaultMaxExpandedBytes, "bytes expanded");

    public static InputLimit MaxRecordBytes => InputLimit.Of("ZIP_MAX_RECORD_BYTES", DefaultMaxRecordBytes, "bytes");
}
