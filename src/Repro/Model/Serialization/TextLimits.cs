namespace Repro.Model.Serialization;

/// <summary>
/// How much repro reads of a small text file it did not write: ignore files, DVC's config,
/// requirements and lock files, MLflow's params, tags and metric files, keys, Python sources.
/// Documented in docs/limits.md.
/// </summary>
public static class TextLimits
{
    /// <summary>Bytes in one such file, checked before it is read.</summary>
    public const long DefaultMaxFileBytes = 16 << 20;

    /// <summary>Characters in one line of a file read line by line (an MLflow metric history, a step log).</summary>
    public const long DefaultMaxLineChars = 1 << 20;

    public static InputLimit MaxFileBytes => InputLimit.Of("TEXT_MAX_BYTES", DefaultMaxFileBytes, "bytes");

    public static InputLimit MaxLineChars => InputLimit.Of("LINE_MAX_CHARS", DefaultMaxLineChars, "characters in a line");
}
