using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Repro.Recording.Pipelines;

/// <summary>Shared reading of lock-file stage entries (cmd, deps, params, outs); every problem is one line naming the file.</summary>
public static class LockReader
{
    public static YamlNode? Get(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static Exception Malformed(string lockName, string detail) =>
        ReproException.Usage($"{lockName} is malformed: {detail} (restore it from git, or delete it to re-run every stage)");

    public static IReadOnlyList<LockedParams> ReadParams(string lockName, string stage, YamlNode? node)
    {
        if (node is null || node is YamlScalarNode { Value: null or "" })
        {
            return [];
        }

        if (node is not YamlMappingNode files)
        {
            throw Malformed(lockName, $"stage '{stage}': params must map files to their values");
        }

        var result = new List<LockedParams>();
        foreach (var (fileNode, valuesNode) in files.Children)
        {
            var values = valuesNode as YamlMappingNode ?? throw Malformed(lockName, $"stage '{stage}': params of {PipelineYaml.ScalarKey(fileNode)} must be a mapping");
            result.Add(new LockedParams
            {
                File = PipelineYaml.ScalarKey(fileNode),
                Values = values.Children.Select(v => new KeyValuePair<string, ParamValue>(PipelineYaml.ScalarKey(v.Key), ParamValue.FromYaml(v.Value))).ToList(),
            });
        }

        return result;
    }

    public static (IReadOnlyList<string> Commands, bool IsList) ReadCommand(string lockName, string stage, YamlNode? node) => node switch
    {
        YamlScalarNode { Value: { } cmd } => ([cmd], false),
        YamlSequenceNode list => (list.Children.Select(c => PipelineYaml.Scalar(c) ?? throw Malformed(lockName, $"stage '{stage}': cmd must be text")).ToList(), true),
        _ => throw Malformed(lockName, $"stage '{stage}' has no cmd"),
    };

    public static long? Long(string lockName, string where, YamlNode? node)
    {
        if (node is null)
        {
            return null;
        }

        return long.TryParse(PipelineYaml.Scalar(node), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Malformed(lockName, $"{where} must be a whole number");
    }
}
