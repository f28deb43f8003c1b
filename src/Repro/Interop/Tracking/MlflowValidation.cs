using System.Text.RegularExpressions;

namespace Repro.Interop.Tracking;

/// <summary>
/// MLflow's input limits and messages (mlflow/utils/validation.py), so a client sees the error
/// MLflow itself would give: batch sizes, key and value lengths, allowed key characters.
/// </summary>
public static partial class MlflowValidation
{
    public const int MaxParamsTagsPerBatch = 100;
    public const int MaxMetricsPerBatch = 1000;
    public const int MaxEntitiesPerBatch = 1000;
    public const int MaxParamValueLength = 6000;
    public const int MaxTagValueLength = 5000;
    public const int MaxExperimentNameLength = 500;
    public const int MaxExperimentTagKeyLength = 250;
    public const int MaxExperimentTagValueLength = 5000;
    public const int MaxEntityKeyLength = 250;

    private const string BadCharacters = "Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/).";

    public static void BatchLimits(int metrics, int parameters, int tags)
    {
        BatchLimit("metrics", MaxMetricsPerBatch, metrics);
        BatchLimit("params", MaxParamsTagsPerBatch, parameters);
        BatchLimit("tags", MaxParamsTagsPerBatch, tags);
        BatchLimit("metrics, params, and tags", MaxEntitiesPerBatch, metrics + parameters + tags);
    }

    public static void Metric(MlflowMetric metric)
    {
        Name("metric", metric.Key);
        if (metric.Timestamp < 0)
        {
            throw TrackingException.Invalid($"Got invalid timestamp {metric.Timestamp} for metric '{metric.Key}' (value={Python(metric.Value)}). Timestamp must be a nonnegative long (64-bit integer) ");
        }

        Length("Metric name", MaxEntityKeyLength, metric.Key);
    }

    public static void Param(string key, string value)
    {
        Name("parameter", key);
        Length("Param key", MaxEntityKeyLength, key);
        Length("Param value", MaxParamValueLength, value);
    }

    public static void Tag(string key, string value)
    {
        Name("tag", key);
        Length("Tag key", MaxEntityKeyLength, key);
        Length("Tag value", MaxTagValueLength, value);
    }

    public static void ExperimentTag(string key, string value)
    {
        Name("tag", key);
        Length("Tag key", MaxExperimentTagKeyLength, key);
        Length("Tag value", MaxExperimentTagValueLength, value);
    }

    public static void UniqueParamKeys(IEnumerable<string> keys)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var duplicates = keys.Where(k => !seen.Add(k)).ToList();
        if (duplicates.Count > 0)
        {
            throw TrackingException.Invalid($"Duplicate parameter keys have been submitted: [{string.Join(", ", duplicates.Select(d => $"'{d}'"))}]. Please ensure the request contains only one param value per param key.");
        }
    }

    public static void RunId(string runId)
    {
        if (!RunIdPattern().IsMatch(runId))
        {
            throw TrackingException.Invalid($"Invalid run ID: '{runId}'");
        }
    }

    public static void ExperimentName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw TrackingException.Invalid($"Invalid experiment name: '{name}'");
        }

        if (name.Length > MaxExperimentNameLength)
        {
            throw TrackingException.Invalid($"Experiment name exceeds the maximum length of {MaxExperimentNameLength} characters");
        }
    }

    /// <summary>How Python prints a float, as MLflow's messages show it.</summary>
    public static string Python(double value) => double.IsNaN(value) ? "nan" : double.IsPositiveInfinity(value) ? "inf" : double.IsNegativeInfinity(value) ? "-inf" : value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    private static void BatchLimit(string entity, int limit, int length)
    {
        if (length > limit)
        {
            throw TrackingException.Invalid($"A batch logging request can contain at most {limit} {entity}. Got {length} {entity}. Please split up {entity} across multiple requests and try again.");
        }
    }

    private static void Name(string what, string key)
    {
        if (!KeyPattern().IsMatch(key))
        {
            throw TrackingException.Invalid($"Invalid {what} name: '{key}'. {BadCharacters}");
        }

        var normal = NormalizePath(key);
        if (normal != key || normal == "." || normal.StartsWith("..", StringComparison.Ordinal) || normal.StartsWith('/'))
        {
            throw TrackingException.Invalid($"Invalid {what} name: '{key}'. Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '{normal}'");
        }
    }

    private static void Length(string entity, int limit, string value)
    {
        if (value.Length > limit)
        {
            throw TrackingException.Invalid($"{entity} '{value[..Math.Min(250, value.Length)]}' had length {value.Length}, which exceeded length limit of {limit}");
        }
    }

    /// <summary>Python's posixpath.normpath.</summary>
    private static string NormalizePath(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }

        var initial = path.StartsWith('/') ? (path.StartsWith("//", StringComparison.Ordinal) && !path.StartsWith("///", StringComparison.Ordinal) ? 2 : 1) : 0;
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part != ".." || (initial == 0 && parts.Count == 0) || (parts.Count > 0 && parts[^1] == ".."))
            {
                parts.Add(part);
            }
            else if (parts.Count > 0)
            {
                parts.RemoveAt(parts.Count - 1);
            }
        }

        var result = new string('/', initial) + string.Join('/', parts);
        return result.Length == 0 ? "." : result;
    }

    [GeneratedRegex(@"^[/\w.\- ]*$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^[a-zA-Z0-9][\w\-]{0,255}$")]
    private static partial Regex RunIdPattern();
}
