using Repro.Recording.Pipelines;
using YamlDotNet.RepresentationModel;

namespace Repro.Interop.Dvc;

/// <summary>
/// Reads <c>dvc.yaml</c> as DVC 3 defines it (its schema: stages with cmd, wdir, deps, params,
/// outs, metrics, plots, frozen, always_changed, desc, meta). Templating (<c>vars</c>, <c>${…}</c>),
/// <c>foreach</c> and <c>matrix</c> are refused with a clear message, not half-understood.
/// </summary>
public static class DvcPipelineFile
{
    public const string FileName = "dvc.yaml";

    public const string LockName = "dvc.lock";

    public static readonly IReadOnlyList<string> StageKeys = ["cmd", "wdir", "deps", "params", "outs", "metrics", "plots", "frozen", "always_changed", "desc", "meta"];

    private static readonly HashSet<string> TopLevelKeys = new(StringComparer.Ordinal) { "stages", "vars", "params", "metrics", "plots", "artifacts", "datasets" };

    public static PipelineDefinition Load(string root)
    {
        var path = Path.Combine(root, FileName);
        var mapping = PipelineYaml.LoadMapping(path);
        foreach (var key in mapping.Children.Keys.Select(PipelineYaml.ScalarKey))
        {
            if (!TopLevelKeys.Contains(key))
            {
                throw ReproException.Usage($"{FileName}: unknown top-level key '{key}' (known: {string.Join(", ", TopLevelKeys)})");
            }
        }

        var stages = new List<PipelineStage>();
        if (LockReader.Get(mapping, "stages") is YamlMappingNode stageMap)
        {
            foreach (var (nameNode, stageNode) in stageMap.Children)
            {
                var name = PipelineYaml.ScalarKey(nameNode);
                if (stageNode is YamlMappingNode m && m.Children.ContainsKey(new YamlScalarNode("vars")))
                {
                    throw ReproException.Usage($"{FileName}: stage '{name}': 'vars' templating is not supported by repro yet");
                }

                stages.Add(StageFileParser.ParseStage(FileName, name, stageNode, StageKeys));
            }
        }
        else if (LockReader.Get(mapping, "stages") is { } other and not YamlScalarNode { Value: null or "" })
        {
            throw ReproException.Usage($"{FileName}: 'stages' must map stage names to their definitions (got {other.NodeType})");
        }

        return new PipelineDefinition
        {
            Kind = PipelineKind.Dvc,
            Root = root,
            DefinitionPath = path,
            LockPath = Path.Combine(root, LockName),
            Stages = stages,
        };
    }
}
