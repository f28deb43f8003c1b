namespace Repro.Model.Serialization;

/// <summary>
/// How much JSON repro reads from one file it did not write (metrics, params, notebooks, step-log
/// lines, safetensors headers, bundle records, tracking-server files). Each default can be raised
/// with the environment variable its <see cref="InputLimit"/> names. Documented in docs/limits.md.
/// </summary>
public static class JsonLimits
{
    /// <summary>Bytes in one JSON file (the same 16 MiB a YAML file may hold).</summary>
    public const long DefaultMaxBytes = 16 << 20;

    /// <summary>Nesting of objects and arrays (System.Text.Json's own default is 64).</summary>
    public const int DefaultMaxDepth = 256;

    /// <summary>Characters in one number: a 10 MB run of digits is not a measurement.</summary>
    public const int DefaultMaxNumberChars = 1_000;

    public static InputLimit MaxBytes => InputLimit.Of("JSON_MAX_BYTES", DefaultMaxBytes, "bytes");

    public static InputLimit MaxDepth => InputLimit.Of("JSON_MAX_DEPTH", DefaultMaxDepth, "levels of nesting");

    public static InputLimit MaxNumberChars => InputLimit.Of("JSON_MAX_NUMBER_CHARS", DefaultMaxNumberChars, "characters in a number");
}
