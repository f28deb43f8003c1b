using Repro.Model.Serialization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Repro.Recording.Pipelines;

/// <summary>Reading pipeline and lock YAML: one clear line naming the file (and stage, key) for anything malformed.</summary>
public static class PipelineYaml
{
    /// <summary>The root mapping of a YAML file; an empty file is an empty mapping.</summary>
    public static YamlMappingNode LoadMapping(string path)
    {
        var name = Path.GetFileName(path);
        string text;
        try
        {
            text = BoundedFile.ReadAllText(path, YamlLimits.MaxFileBytes, name);
        }
        catch (IOException ex)
        {
            throw ReproException.Io($"cannot read {name}: {ex.Message}");
        }

        try
        {
            var stream = BoundedYaml.Load(text);
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
            {
                return new YamlMappingNode();
            }

            return stream.Documents[0].RootNode as YamlMappingNode
                ?? throw ReproException.Usage($"{name}: expected a mapping at the top level");
        }
        catch (YamlException ex)
        {
            throw ReproException.Usage($"{name}: malformed YAML at line {ex.Start.Line}: {FirstSentence(ex.Message)}");
        }
        catch (InvalidOperationException ex)
        {
            throw ReproException.Usage($"{name}: malformed YAML: {FirstSentence(ex.Message)}");
        }
    }

    public static string? Scalar(YamlNode? node) => node is YamlScalarNode scalar ? scalar.Value : null;

    public static string ScalarKey(YamlNode key) => (key as YamlScalarNode)?.Value ?? key.ToString();

    /// <summary>A list of strings; a lone string counts as a one-item list.</summary>
    public static List<string> Strings(YamlNode? node, string where)
    {
        switch (node)
        {
            case null:
                return [];
            case YamlScalarNode scalar:
                return scalar.Value is null or "" ? [] : [scalar.Value];
            case YamlSequenceNode sequence:
                return sequence.Children.Select(c => Scalar(c) ?? throw ReproException.Usage($"{where}: expected a list of paths or strings")).ToList();
            default:
                throw ReproException.Usage($"{where}: expected a list");
        }
    }

    public static bool Bool(YamlNode node, string where) =>
        ParamValue.FromYaml(node) is { Kind: ParamValueKind.Bool } value
            ? (bool)value.Value!
            : throw ReproException.Usage($"{where}: expected true or false");

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message.TrimEnd('.');
    }
}
