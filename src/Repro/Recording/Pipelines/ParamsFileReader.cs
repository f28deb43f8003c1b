using System.Text.Json;
using Repro.Model.Serialization;
using YamlDotNet.RepresentationModel;

namespace Repro.Recording.Pipelines;

/// <summary>Reads a params file (YAML, or JSON by extension) as a typed value tree.</summary>
public static class ParamsFileReader
{
    public static ParamValue Read(string fullPath, string shownPath)
    {
        var extension = Path.GetExtension(fullPath).ToLowerInvariant();
        if (extension == ".json")
        {
            try
            {
                using var document = BoundedJson.ParseFile(fullPath, shownPath);
                return ParamValue.FromJson(document.RootElement);
            }
            catch (JsonException ex)
            {
                throw ReproException.Usage($"params file {shownPath}: malformed JSON at line {(ex.LineNumber ?? 0) + 1}: {ex.Message}");
            }
        }

        if (extension is ".toml" or ".py")
        {
            throw ReproException.Usage($"params file {shownPath}: {extension} params files are not supported yet (use YAML or JSON)");
        }

        YamlMappingNode mapping;
        try
        {
            mapping = PipelineYaml.LoadMapping(fullPath);
        }
        catch (ReproException ex)
        {
            throw ReproException.Usage($"params file {shownPath}: {ex.Message}");
        }

        return ParamValue.FromYaml(mapping);
    }

    /// <summary>The tracked (key, value) pairs of one params dependency; a key absent from the file is left out.</summary>
    public static List<KeyValuePair<string, ParamValue>> Select(ParamValue root, ParamsDependency dependency)
    {
        if (dependency.Keys.Count == 0)
        {
            return root.Entries.ToList();
        }

        var result = new List<KeyValuePair<string, ParamValue>>();
        foreach (var key in dependency.Keys)
        {
            if (root.Lookup(key) is { } value)
            {
                result.Add(new(key, value));
            }
        }

        return result;
    }
}
