using Repro.Model.Serialization;

namespace Repro.Judging.Comparison;

/// <summary>
/// How much of an array file's header repro reads before comparing the values it describes:
/// NumPy's .npy (NumPy itself refuses headers over 10,000 bytes unless told otherwise) and
/// safetensors (whose own reader refuses headers over 100,000,000 bytes). Values are streamed
/// and never held whole. Documented in docs/limits.md.
/// </summary>
public static class ArrayHeaderLimits
{
    /// <summary>Bytes in an .npy header (the Python dict literal after the magic string).</summary>
    public const long DefaultMaxNpyHeaderBytes = 1 << 20;

    /// <summary>Dimensions of one array (NumPy 2 allows 64).</summary>
    public const long DefaultMaxDimensions = 64;

    /// <summary>Bytes in a safetensors JSON header, the safetensors format's own limit.</summary>
    public const long DefaultMaxSafetensorsHeaderBytes = 100_000_000;

    public static InputLimit MaxNpyHeaderBytes => InputLimit.Of("NPY_MAX_HEADER_BYTES", DefaultMaxNpyHeaderBytes, "bytes");

    public static InputLimit MaxDimensions => InputLimit.Of("ARRAY_MAX_DIMENSIONS", DefaultMaxDimensions, "dimensions");

    public static InputLimit MaxSafetensorsHeaderBytes => InputLimit.Of("SAFETENSORS_MAX_HEADER_BYTES", DefaultMaxSafetensorsHeaderBytes, "bytes");
}
