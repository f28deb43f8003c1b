using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Repro.Recording.Pipelines;

/// <summary>
/// Reads the stage entries shared by <c>repro.yaml</c> and <c>dvc.yaml</c>: cmd, deps, params,
/// outs (plain or with DVC's per-output flags), metrics, plots, wdir, frozen, always_changed, seed.
/// Every unknown key is an error that names the key and the stage.
/// </summary>
public static class StageFileParser
{
    public const string DefaultParamsFile = "params.yaml";

    private static readonly HashSet<string> OutFlags = new(StringComparer.Ordinal)
    {
        "cache", "persist", "checkpoint", "remote", "push", "desc", "type", "labels", "meta",
    };

    private static readonly HashSet<string> PlotFlags = new(StringComparer.Ordinal)
    {
        "cache", "persist", "remote", "push", "desc", "type", "labels", "meta", "template", "x", "y", "x_label", "y_label", "title", "header",
    };

    public static PipelineStage ParseStage(string fileName, string name, YamlNode node, IReadOnlyCollection<string> knownKeys)
    {
        var where = $"{fileName}: stage '{name}'";
        if (node is not YamlMappingNode mapping)
        {
            throw ReproException.Usage($"{where}: expected a mapping with at least 'cmd'");
        }

        foreach (var key in mapping.Children.Keys.Select(PipelineYaml.ScalarKey))
        {
            if (key is "foreach" or "do" or "matrix")
            {
                throw ReproException.Usage($"{where}: '{key}' stages are not supported by repro yet; expand them into plain stages");
            }

            if (!knownKeys.Contains(key))
            {
                throw ReproException.Usage($"{where}: unknown key '{key}' (known: {string.Join(", ", knownKeys)})");
            }
        }

        YamlNode? Get(string key) => mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

        var cmdNode = Get("cmd") ?? throw ReproException.Usage($"{where}: missing 'cmd'");
        var commands = PipelineYaml.Strings(cmdNode, $"{where}: cmd");
        if (commands.Count == 0 || commands.Any(c => c.Trim().Length == 0))
        {
            throw ReproException.Usage($"{where}: 'cmd' is empty");
        }

        var outs = new List<string>();
        var metrics = new List<string>();
        var persist = new List<string>();
        var uncached = new List<string>();
        ReadOuts(Get("outs"), $"{where}: outs", OutFlags, outs, persist, uncached);
        ReadOuts(Get("metrics"), $"{where}: metrics", OutFlags, metrics, persist, uncached);
        ReadOuts(Get("plots"), $"{where}: plots", PlotFlags, outs, persist, uncached);
        outs.AddRange(metrics);

        long? seed = null;
        if (Get("seed") is { } seedNode)
        {
            seed = long.TryParse(PipelineYaml.Scalar(seedNode), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s)
                ? s
                : throw ReproException.Usage($"{where}: seed must be a whole number");
        }

        var wdir = PipelineYaml.Scalar(Get("wdir"));
        var stage = new PipelineStage
        {
            Name = name,
            Commands = commands,
            CommandIsList = cmdNode is YamlSequenceNode,
            WorkingDirectory = string.IsNullOrEmpty(wdir) ? "." : wdir.Replace('\\', '/').TrimEnd('/'),
            Deps = PipelineYaml.Strings(Get("deps"), $"{where}: deps"),
            Params = ReadParams(Get("params"), $"{where}: params"),
            Outs = outs,
            Metrics = metrics,
            Persist = persist,
            Uncached = uncached,
            Seed = seed,
            Frozen = Get("frozen") is { } frozen && PipelineYaml.Bool(frozen, $"{where}: frozen"),
            AlwaysChanged = Get("always_changed") is { } always && PipelineYaml.Bool(always, $"{where}: always_changed"),
        };

        foreach (var text in stage.Commands.Concat(stage.Deps).Concat(stage.Outs).Append(stage.WorkingDirectory))
        {
            if (text.Contains("${", StringComparison.Ordinal))
            {
                throw ReproException.Usage($"{where}: '{text}' uses ${{…}} templating, which repro does not support yet");
            }
        }

        var duplicate = stage.Outs.GroupBy(o => o, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw ReproException.Usage($"{where}: output '{duplicate.Key}' is listed twice");
        }

        return stage;
    }

    /// <summary>
    /// params: a list of keys of params.yaml, or of mappings FILE: [KEYS] (FILE: with no keys
    /// tracks every top-level key of FILE), as in dvc.yaml.
    /// </summary>
    public static List<ParamsDependency> ReadParams(YamlNode? node, string where)
    {
        var byFile = new List<(string File, List<string> Keys, bool Whole)>();
        void Add(string file, IEnumerable<string> keys, bool whole)
        {
            var index = byFile.FindIndex(f => string.Equals(f.File, file, StringComparison.Ordinal));
            if (index < 0)
            {
                byFile.Add((file, [], whole));
                index = byFile.Count - 1;
            }

            var entry = byFile[index];
            foreach (var key in keys.Where(k => !entry.Keys.Contains(k, StringComparer.Ordinal)))
            {
                entry.Keys.Add(key);
            }

            byFile[index] = entry with { Whole = entry.Whole || whole };
        }

        switch (node)
        {
            case null:
                break;
            case YamlSequenceNode sequence:
                foreach (var item in sequence.Children)
                {
                    if (item is YamlScalarNode { Value: { Length: > 0 } key })
                    {
                        Add(DefaultParamsFile, [key], false);
                    }
                    else if (item is YamlMappingNode files)
                    {
                        foreach (var (fileNode, keysNode) in files.Children)
                        {
                            var keys = PipelineYaml.Strings(keysNode, $"{where}: {PipelineYaml.ScalarKey(fileNode)}");
                            Add(PipelineYaml.ScalarKey(fileNode), keys, keys.Count == 0);
                        }
                    }
                    else
                    {
                        throw ReproException.Usage($"{where}: expected keys of {DefaultParamsFile} or FILE: [KEYS]");
                    }
                }

                break;
            default:
                throw ReproException.Usage($"{where}: expected a list of keys of {DefaultParamsFile} or FILE: [KEYS]");
        }

        return byFile.Select(f => new ParamsDependency { File = f.File, Keys = f.Whole ? [] : f.Keys }).ToList();
    }

    private static void ReadOuts(YamlNode? node, string where, HashSet<string> flags, List<string> paths, List<string> persist, List<string> uncached)
    {
        if (node is null)
        {
            return;
        }

        if (node is not YamlSequenceNode sequence)
        {
            throw ReproException.Usage($"{where}: expected a list of paths");
        }

        foreach (var item in sequence.Children)
        {
            switch (item)
            {
                case YamlScalarNode { Value: { Length: > 0 } path }:
                    paths.Add(path);
                    break;
                case YamlMappingNode mapping when mapping.Children.Count == 1:
                    var (pathNode, flagsNode) = mapping.Children.First();
                    var outPath = PipelineYaml.ScalarKey(pathNode);
                    if (flagsNode is YamlMappingNode flagMap)
                    {
                        foreach (var (flagNode, value) in flagMap.Children)
                        {
                            var flag = PipelineYaml.ScalarKey(flagNode);
                            if (!flags.Contains(flag))
                            {
                                throw ReproException.Usage($"{where}: '{outPath}': unknown key '{flag}' (known: {string.Join(", ", flags)})");
                            }

                            if (flag == "persist" && PipelineYaml.Bool(value, $"{where}: '{outPath}': persist"))
                            {
                                persist.Add(outPath);
                            }

                            if (flag == "cache" && !PipelineYaml.Bool(value, $"{where}: '{outPath}': cache"))
                            {
                                uncached.Add(outPath);
                            }
                        }
                    }

                    paths.Add(outPath);
                    break;
                default:
                    throw ReproException.Usage($"{where}: expected a path or PATH: {{flags}}");
            }
        }
    }
}
