namespace Repro.Model.Serialization;

/// <summary>
/// How much YAML repro reads from one file (metrics, params, repro.yaml, dvc.yaml, .dvc pointers,
/// .repro/config.yaml, MLflow meta.yaml), whoever wrote it: a 1 KB file of aliases must never
/// cost gigabytes. Documented in docs/limits.md.
/// </summary>
public static class YamlLimits
{
    /// <summary>Characters in one YAML document.</summary>
    public const int MaxChars = 16 << 20;

    /// <summary>Nodes once every alias is expanded (a billion-laughs file expands past this within a few lines).</summary>
    public const long MaxNodes = 1_000_000;

    /// <summary>Nesting of mappings and sequences.</summary>
    public const int MaxDepth = 256;

    /// <summary>Bytes read from one YAML file, checked before it is read (the UTF-8 of at most <see cref="MaxChars"/> characters).</summary>
    public static InputLimit MaxFileBytes => InputLimit.Of("YAML_MAX_BYTES", MaxChars, "bytes");
}
