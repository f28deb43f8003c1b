using System.Globalization;
using Repro.Capture.Metrics;
using Repro.Model;
using Repro.Model.Serialization;

namespace Repro.Capture.Probe;

/// <summary>
/// Whether the in-process Python probe is loaded into a run's command, and how often it
/// fingerprints a PyTorch model. On by default; off with <c>--no-probe</c> or
/// <c>probe: false</c> in <c>.repro/config.yaml</c>.
/// </summary>
public sealed record ProbeSettings
{
    /// <summary>Optimizer steps between two fingerprints of the model's parameters: keeps the trace small.</summary>
    public const int DefaultEvery = ProbeRecord.DefaultEvery;

    public static ProbeSettings Default { get; } = new();

    public static ProbeSettings Off { get; } = new() { Enabled = false };

    public bool Enabled { get; init; } = true;

    /// <summary>Every how many optimizer steps the parameters are fingerprinted (<c>--probe-every</c>).</summary>
    public int Every { get; init; } = DefaultEvery;

    /// <summary>What is wrong with these settings as the flags gave them: a step interval below 1 (<c>--probe-every</c>); null when nothing is.</summary>
    public string? Problem() =>
        Every < 1 ? string.Create(CultureInfo.InvariantCulture, $"--probe-every must be 1 or more, got {Every}") : null;

    /// <summary>Whether <c>.repro/config.yaml</c> turns the probe off (<c>probe: false</c>); not parsed unless it names the probe.</summary>
    public static bool DisabledByConfig(string configPath)
    {
        if (!File.Exists(configPath))
        {
            return false;
        }

        var text = BoundedFile.ReadAllText(configPath, YamlLimits.MaxFileBytes);
        if (!text.Contains("probe", StringComparison.Ordinal))
        {
            return false;
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

        foreach (var (key, value) in flat.Where(p => p.Key == "probe"))
        {
            return value.ToLowerInvariant() switch
            {
                "false" or "off" or "no" => true,
                "true" or "on" or "yes" => false,
                _ => throw ReproException.Usage($"{configPath}: probe must be true or false, got '{value}'"),
            };
        }

        return false;
    }
}
