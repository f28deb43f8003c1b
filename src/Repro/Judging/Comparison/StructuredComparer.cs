using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Repro.Model.Serialization;
using Repro.Model.Verdicts;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Repro.Judging.Comparison;

/// <summary>
/// JSON and YAML compared as structures: numbers with tolerance, strings, booleans, keys and
/// list lengths exactly; each difference named by its path (<c>$.metrics.acc</c>). Documents are
/// loaded whole: structured outputs (metrics, configs, reports) are small in practice.
/// </summary>
public sealed class StructuredComparer : IFileComparer
{
    private readonly bool _yaml;

    private StructuredComparer(bool yaml) => _yaml = yaml;

    public static StructuredComparer Json { get; } = new(yaml: false);

    public static StructuredComparer Yaml { get; } = new(yaml: true);

    public string Name => _yaml ? "yaml" : "json";

    public bool CanCompare(string path)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return _yaml ? extension is ".yaml" or ".yml" : extension == ".json";
    }

    public Task<ComparisonResult> CompareAsync(string originalPath, string reproducedPath, ComparisonOptions options, CancellationToken cancellationToken) =>
        Task.FromResult(Compare(originalPath, reproducedPath, options));

    private ComparisonResult Compare(string originalPath, string reproducedPath, ComparisonOptions options)
    {
        JsonNode? a;
        JsonNode? b;
        try
        {
            a = Load(BoundedFile.ReadAllText(originalPath, _yaml ? YamlLimits.MaxFileBytes : JsonLimits.MaxBytes, "the original"), "the original");
        }
        catch (Exception ex) when (ex is JsonException or YamlException or InvalidOperationException or FormatException)
        {
            return Malformed("original", ex);
        }

        try
        {
            b = Load(BoundedFile.ReadAllText(reproducedPath, _yaml ? YamlLimits.MaxFileBytes : JsonLimits.MaxBytes, "the reproduction"), "the reproduction");
        }
        catch (Exception ex) when (ex is JsonException or YamlException or InvalidOperationException or FormatException)
        {
            return Malformed("reproduction", ex);
        }

        var stats = new NumericStats(options.Tolerance, options.MaxExamples);
        try
        {
            Walk(a, b, "$", stats);
        }
        catch (ArgumentException ex)
        {
            // JsonNode refuses a key given twice in one object only when the object is first read.
            return Malformed("original or the reproduction", ex);
        }

        var result = stats.Result(Name, "structure and values");

        // Called only when the bytes differ: equal structure and values is formatting, EQUIVALENT.
        return result.Verdict == Verdict.Identical ? result with { Verdict = Verdict.Equivalent } : result;
    }

    private ComparisonResult Malformed(string which, Exception ex) => new()
    {
        Verdict = Verdict.Diverged,
        Comparer = Name,
        Detail = $"the {which} is not valid {Name.ToUpperInvariant()} ({ex.Message.Split('\n')[0]}); the bytes differ",
    };

    private JsonNode? Load(string text, string source) => _yaml ? FromYaml(text) : BoundedJson.ParseNode(text, source, lenient: true);

    private static JsonNode? FromYaml(string text)
    {
        var stream = BoundedYaml.Load(text);
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    obj[key is YamlScalarNode s ? s.Value ?? string.Empty : key.ToString()] = Convert(value);
                }

                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                foreach (var item in sequence.Children)
                {
                    array.Add(Convert(item));
                }

                return array;
            case YamlScalarNode scalar:
                var text = scalar.Value ?? string.Empty;
                if (scalar.Style != ScalarStyle.Plain)
                {
                    return JsonValue.Create(text);
                }

                if (text is "" or "~" or "null" or "Null" or "NULL")
                {
                    return null;
                }

                if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
                {
                    return JsonValue.Create(text.Equals("true", StringComparison.OrdinalIgnoreCase));
                }

                if (Repro.Capture.Metrics.MetricValues.TryParse(text, out var number))
                {
                    return JsonValue.Create(number);
                }

                return JsonValue.Create(text);
            default:
                return null;
        }
    }

    private static void Walk(JsonNode? a, JsonNode? b, string path, NumericStats stats)
    {
        switch (a, b)
        {
            case (null, null):
                return;
            case (JsonObject x, JsonObject y):
                foreach (var (key, value) in x)
                {
                    if (!y.TryGetPropertyValue(key, out var other))
                    {
                        stats.AddOther($"{Child(path, key)} removed");
                        continue;
                    }

                    Walk(value, other, Child(path, key), stats);
                }

                foreach (var (key, _) in y)
                {
                    if (!x.ContainsKey(key))
                    {
                        stats.AddOther($"{Child(path, key)} added");
                    }
                }

                return;
            case (JsonArray x, JsonArray y):
                if (x.Count != y.Count)
                {
                    stats.AddOther(string.Create(CultureInfo.InvariantCulture, $"{path}: {x.Count} items → {y.Count}"));
                }

                for (var i = 0; i < Math.Min(x.Count, y.Count); i++)
                {
                    Walk(x[i], y[i], string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]"), stats);
                }

                return;
            case (JsonValue x, JsonValue y) when Number(x) is { } p && Number(y) is { } q:
                stats.Add(p, q, path);
                return;
            case (JsonValue x, JsonValue y):
                if (x.ToJsonString() != y.ToJsonString())
                {
                    stats.AddOther($"{path}: {Short(x.ToJsonString())} → {Short(y.ToJsonString())}");
                }

                return;
            default:
                stats.AddOther($"{path}: {Short(a?.ToJsonString() ?? "null")} → {Short(b?.ToJsonString() ?? "null")}");
                return;
        }
    }

    private static double? Number(JsonValue value)
    {
        if (value.GetValueKind() == JsonValueKind.Number)
        {
            return value.GetValue<double>();
        }

        // NaN and infinities are written as strings by many tools.
        return value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is "NaN" or "Infinity" or "-Infinity" && Repro.Capture.Metrics.MetricValues.TryParse(value.GetValue<string>(), out var special) ? special : null;
    }

    private static string Child(string path, string key) =>
        key.All(c => char.IsLetterOrDigit(c) || c == '_') && key.Length > 0 ? $"{path}.{key}" : $"{path}[\"{key}\"]";

    private static string Short(string text) => text.Length > 80 ? text[..80] + "…" : text;
}
