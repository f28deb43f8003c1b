using Repro.Model.Serialization;

namespace Repro.Blobs.Data;

/// <summary>
/// How much of a pointer file (<c>*.repro</c>) repro reads: ours are four short lines, so anything
/// near the limit is not a pointer file. DVC's <c>.dvc</c> and <c>dvc.lock</c> files are YAML and
/// read within <see cref="YamlLimits"/>. Documented in docs/limits.md.
/// </summary>
public static class PointerLimits
{
    /// <summary>Bytes in one pointer file.</summary>
    public const long DefaultMaxBytes = 64 << 10;

    public static InputLimit MaxBytes => InputLimit.Of("POINTER_MAX_BYTES", DefaultMaxBytes, "bytes");
}
