using System.Globalization;
using System.Text;
using System.Text.Json;
using Repro.Model;
using Repro.Model.Serialization;

namespace Repro.Capture.Metrics;

/// <summary>
/// Reads metrics files (JSON, YAML or CSV) into numbers and the step log a command writes to
/// <c>REPRO_METRICS_FILE</c>. Problems become warnings: a malformed metrics file never loses a run.
/// </summary>
public static class MetricsReader
{
    /// <summary>Final values and histories from one metrics file; throws <see cref="FormatException"/> when malformed.</summary>
    public static (Dictionary<string, double> Values, Dictionary<string, List<MetricStep>> Steps) ReadFile(string path)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is ".csv" or ".tsv")
        {
            return CsvMetrics.Read(path);
        }

        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (key, text) in StructuredFile.Flatten(path))
        {
            if (key.Length > 0 && MetricValues.TryParse(text, out var value))
            {
                values[key] = value;
            }
        }

        return (values, new Dictionary<string, List<MetricStep>>(StringComparer.Ordinal));
    }

    /// <summary>
    /// Reads the JSON-lines step log: one <c>{"key": "loss", "value": 0.31, "step": 12}</c> per
    /// line (<c>step</c> optional: then one more than the key's previous step). Bad lines are
    /// skipped and reported.
    /// </summary>
    public static (Dictionary<string, List<MetricStep>> Steps, List<string> Warnings) ReadStepLog(string path)
    {
        var steps = new Dictionary<string, List<MetricStep>>(StringComparer.Ordinal);
        var warnings = new List<string>();
        if (!File.Exists(path))
        {
            return (steps, warnings);
        }

        var lineNumber = 0;
        var bad = 0;
        using var reader = new StreamReader(path, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: false);
        var maxLine = TextLimits.MaxLineChars;
        while (true)
        {
            string? line;
            try
            {
                line = BoundedFile.ReadLine(reader, maxLine, "step log", lineNumber + 1);
            }
            catch (BadInputException ex)
            {
                // The rest of the log is not read: a line this long is not a metric.
                warnings.Add($"{ex.Message}; the step log was read up to that line");
                break;
            }

            if (line is null)
            {
                break;
            }

            lineNumber++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            try
            {
                using var document = BoundedJson.Parse(line, "step log");
                var root = document.RootElement;
                var key = root.GetProperty("key").GetString() ?? throw new FormatException("key is null");
                var valueElement = root.GetProperty("value");
                var value = valueElement.ValueKind == JsonValueKind.Number ? valueElement.GetDouble()
                    : valueElement.ValueKind == JsonValueKind.String && MetricValues.TryParse(valueElement.GetString()!, out var parsed) ? parsed
                    : throw new FormatException("value is not a number");
                var given = root.TryGetProperty("step", out var stepElement) && stepElement.ValueKind == JsonValueKind.Number ? stepElement.GetInt64() : (long?)null;

                // A key gets its history only once one of its lines was read whole.
                if (!steps.TryGetValue(key, out var history))
                {
                    steps[key] = history = [];
                }

                var step = given ?? (history.Count == 0 ? 0 : history[^1].Step + 1);
                history.Add(new MetricStep(step, value));
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or FormatException or InvalidOperationException or ArgumentException)
            {
                bad++;
                if (bad <= 3)
                {
                    warnings.Add(string.Create(CultureInfo.InvariantCulture, $"step log line {lineNumber} skipped: {ex.Message}"));
                }
            }
        }

        if (bad > 3)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"step log: {bad} malformed lines skipped in all"));
        }

        return (steps, warnings);
    }
}
