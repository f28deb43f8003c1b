using System.Globalization;
using Repro.Capture.Metrics;
using Repro.Model.Serialization;

namespace Repro.Capture;

/// <summary>
/// How much of the untracked files the code pillar keeps in its patch: users keep data folders
/// untracked all the time, and a run must stay fast and small beside them. Past the budget, files
/// are listed by path and size (never read or hashed). Set in <c>.repro/config.yaml</c>:
/// <c>capture: {untracked_max_files: N, untracked_max_bytes: N}</c>.
/// </summary>
public sealed record CaptureBudget
{
    public const int DefaultMaxFiles = 1_000;

    public const long DefaultMaxBytes = 16L << 20;

    public static CaptureBudget Default { get; } = new();

    /// <summary>Untracked files the patch may hold.</summary>
    public int MaxFiles { get; init; } = DefaultMaxFiles;

    /// <summary>Bytes of untracked files the patch may hold.</summary>
    public long MaxBytes { get; init; } = DefaultMaxBytes;

    /// <summary>The <c>capture:</c> section of a workspace's config.yaml; the default when there is none (not parsed unless it names one).</summary>
    public static CaptureBudget Read(string configPath)
    {
        if (!File.Exists(configPath))
        {
            return Default;
        }

        var text = BoundedFile.ReadAllText(configPath, YamlLimits.MaxFileBytes);
        if (!text.Contains("capture", StringComparison.Ordinal))
        {
            return Default;
        }

        List<KeyValuePair<string, string>> flat;
        try
        {
            flat = StructuredFile.FlattenYaml(text, configPath);
        }
        catch (FormatException ex)
        {
            throw ReproException.Usage(ex.Message);
        }

        var budget = Default;
        foreach (var (key, value) in flat.Where(p => p.Key.StartsWith("capture.", StringComparison.Ordinal)))
        {
            budget = key switch
            {
                "capture.untracked_max_files" => budget with { MaxFiles = (int)Count(configPath, key, value, int.MaxValue) },
                "capture.untracked_max_bytes" => budget with { MaxBytes = Count(configPath, key, value, long.MaxValue) },
                _ => throw ReproException.Usage($"{configPath}: unknown setting {key} (known: capture.untracked_max_files, capture.untracked_max_bytes)"),
            };
        }

        return budget;
    }

    private static long Count(string file, string key, string value, long max) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= max
            ? n
            : throw ReproException.Usage($"{file}: {key} must be a whole number ≥ 0, got '{value}'");
}
