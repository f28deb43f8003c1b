using System.Globalization;
using System.Text.Json;
using Repro.Model.Serialization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Repro.Capture.Metrics;

/// <summary>
/// Reads a JSON or YAML document (chosen by extension, JSON first when unknown) and flattens it
/// to ordered (key, value) pairs: nested keys joined with '.', list items by index.
/// Values keep their text (numbers as written); null values are "null".
/// </summary>
public static class StructuredFile
{
    public static List<KeyValuePair<string, string>> Flatten(string path)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        var text = BoundedFile.ReadAllText(path, extension is ".yaml" or ".yml" ? YamlLimits.MaxFileBytes : JsonLimits.MaxBytes);
        if (extension is ".yaml" or ".yml")
        {
            return FlattenYaml(text, path);
        }

        if (extension == ".json")
        {
            return FlattenJson(text, path);
        }

        // Unknown extension: JSON is a subset of YAML, so try it first for precise errors.
        try
        {
            return FlattenJson(text, path);
        }
        catch (FormatException ex) when (ex is not BadInputException)
        {
            return FlattenYaml(text, path);
        }
    }

    public static List<KeyValuePair<string, string>> FlattenJson(string text, string source)
    {
        try
        {
            using var document = BoundedJson.Parse(text, source, lenient: true);
            var result = new List<KeyValuePair<string, string>>();
            Walk(document.RootElement, string.Empty, result);
            return result;
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{source}: malformed JSON at line {(ex.LineNumber ?? 0) + 1}: {FirstSentence(ex.Message)}", ex);
        }
    }

    public static List<KeyValuePair<string, string>> FlattenYaml(string text, string source)
    {
        try
        {
            var stream = BoundedYaml.Load(text);
            var result = new List<KeyValuePair<string, string>>();
            if (stream.Documents.Count > 0)
            {
                Walk(stream.Documents[0].RootNode, string.Empty, result);
            }

            return result;
        }
        catch (YamlException ex)
        {
            throw new FormatException($"{source}: malformed YAML at line {ex.Start.Line}: {FirstSentence(ex.Message)}", ex);
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet reports some unterminated flow collections this way.
            throw new FormatException($"{source}: malformed YAML: {FirstSentence(ex.Message)}", ex);
        }
    }

    private static void Walk(JsonElement element, string prefix, List<KeyValuePair<string, string>> result)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Walk(property.Value, Join(prefix, property.Name), result);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, Join(prefix, index.ToString(CultureInfo.InvariantCulture)), result);
                    index++;
                }

                break;
            case JsonValueKind.String:
                result.Add(new(prefix, element.GetString()!));
                break;
            case JsonValueKind.Number:
                result.Add(new(prefix, element.GetRawText()));
                break;
            case JsonValueKind.True:
                result.Add(new(prefix, "true"));
                break;
            case JsonValueKind.False:
                result.Add(new(prefix, "false"));
                break;
            default:
                result.Add(new(prefix, "null"));
                break;
        }
    }

    private static void Walk(YamlNode node, string prefix, List<KeyValuePair<string, string>> result)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    Walk(value, Join(prefix, key is YamlScalarNode scalar ? scalar.Value ?? string.Empty : key.ToString()), result);
                }

                break;
            case YamlSequenceNode sequence:
                var index = 0;
                foreach (var item in sequence.Children)
                {
                    Walk(item, Join(prefix, index.ToString(CultureInfo.InvariantCulture)), result);
                    index++;
                }

                break;
            case YamlScalarNode scalar:
                var text = scalar.Value;
                result.Add(new(prefix, scalar.Style == ScalarStyle.Plain && (text is null || text is "~" or "null" or "") ? "null" : text ?? "null"));
                break;
        }
    }

    private static string Join(string prefix, string key) => prefix.Length == 0 ? key : $"{prefix}.{key}";

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message.TrimEnd('.');
    }
}
