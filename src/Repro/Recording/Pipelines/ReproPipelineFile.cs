using YamlDotNet.RepresentationModel;

namespace Repro.Recording.Pipelines;

/// <summary>
/// <c>repro.yaml</c>'s <c>stages:</c> section. The same file may hold <c>verify:</c> defaults;
/// any other top-level key is an error.
/// </summary>
public static class ReproPipelineFile
{
    public const string FileName = "repro.yaml";

    public const string LockName = "repro.lock";

    public static readonly IReadOnlyList<string> StageKeys = ["cmd", "wdir", "deps", "params", "outs", "metrics", "plots", "seed", "frozen", "always_changed", "desc", "meta"];

    /// <summary>True when <c>repro.yaml</c> exists in <paramref name="root"/> and has a <c>stages:</c> section.</summary>
    public static bool HasStages(string root)
    {
        var path = Path.Combine(root, FileName);
        return File.Exists(path) && PipelineYaml.LoadMapping(path).Children.ContainsKey(new YamlScalarNode("stages"));
    }

    public static PipelineDefinition Load(string root)
    {
        var path = Path.Combine(root, FileName);
        var mapping = PipelineYaml.LoadMapping(path);
        foreach (var key in mapping.Children.Keys.Select(PipelineYaml.ScalarKey))
        {
            if (key is not ("stages" or "verify"))
            {
                throw ReproException.Usage($"{FileName}: unknown top-level key '{key}' (known: stages, verify)");
            }
        }

        var stages = new List<PipelineStage>();
        if (mapping.Children.TryGetValue(new YamlScalarNode("stages"), out var stagesNode) && stagesNode is not YamlScalarNode { Value: null or "" })
        {
            if (stagesNode is not YamlMappingNode stageMap)
            {
                throw ReproException.Usage($"{FileName}: 'stages' must map stage names to their definitions");
            }

            foreach (var (nameNode, stageNode) in stageMap.Children)
            {
                stages.Add(StageFileParser.ParseStage(FileName, PipelineYaml.ScalarKey(nameNode), stageNode, StageKeys));
            }
        }

        return new PipelineDefinition
        {
            Kind = PipelineKind.Repro,
            Root = root,
            DefinitionPath = path,
            LockPath = Path.Combine(root, LockName),
            Stages = stages,
        };
    }
}
