using YamlDotNet.RepresentationModel;

namespace Repro.Recording.Pipelines;

/// <summary>
/// <c>repro.lock</c>: per stage, the cmd, seed, the run that recorded it, and each dep's and out's
/// SHA-256, size and file count, and each param's value. Stages in repro.yaml order, paths sorted,
/// fixed key order: stable and diff-friendly.
/// </summary>
public static class ReproLockFile
{
    public const string Schema = "1";

    private static readonly HashSet<string> StageKeys = new(StringComparer.Ordinal) { "cmd", "seed", "run", "deps", "params", "outs" };

    private static readonly HashSet<string> ArtifactKeys = new(StringComparer.Ordinal) { "path", "sha256", "size", "nfiles" };

    public static PipelineLock Read(string path)
    {
        if (!File.Exists(path))
        {
            return PipelineLock.Empty;
        }

        var name = Path.GetFileName(path);
        var root = PipelineYaml.LoadMapping(path);
        if (root.Children.Count == 0)
        {
            return PipelineLock.Empty;
        }

        if (PipelineYaml.Scalar(LockReader.Get(root, "schema")) != Schema)
        {
            throw LockReader.Malformed(name, $"expected schema: '{Schema}'");
        }

        var stages = new List<LockedStage>();
        if (LockReader.Get(root, "stages") is { } stagesNode and not YamlScalarNode { Value: null or "" })
        {
            var map = stagesNode as YamlMappingNode ?? throw LockReader.Malformed(name, "stages must be a mapping");
            foreach (var (stageName, stageNode) in map.Children)
            {
                stages.Add(ReadStage(name, PipelineYaml.ScalarKey(stageName), stageNode));
            }
        }

        return new PipelineLock { Stages = stages };
    }

    public static string Render(PipelineLock pipelineLock, PipelineDefinition definition)
    {
        var order = definition.Stages.Select(s => s.Name).ToList();
        var writer = new LockYamlWriter().BeginMap().Entry("schema", Schema).String("stages").BeginMap();
        foreach (var stage in pipelineLock.Stages.OrderBy(s => order.IndexOf(s.Name) is var i and >= 0 ? i : int.MaxValue))
        {
            writer.String(stage.Name).BeginMap();
            writer.String("cmd");
            WriteCommand(writer, stage);
            if (stage.Seed is { } seed)
            {
                writer.Entry("seed", seed);
            }

            if (stage.RunId is { } run)
            {
                writer.Entry("run", run);
            }

            WriteArtifacts(writer, "deps", stage.Deps);
            if (stage.Params.Count > 0)
            {
                writer.String("params").BeginMap();
                foreach (var file in OrderParams(stage.Params))
                {
                    writer.String(file.File).BeginMap();
                    foreach (var (key, value) in file.Values.OrderBy(v => v.Key, StringComparer.Ordinal))
                    {
                        writer.String(key).Value(value);
                    }

                    writer.EndMap();
                }

                writer.EndMap();
            }

            WriteArtifacts(writer, "outs", stage.Outs);
            writer.EndMap();
        }

        return "# Written by `repro pipeline run`: each stage's inputs and outputs when it last ran. Commit it with repro.yaml.\n"
            + writer.EndMap().EndMap().Finish();
    }

    /// <summary>params.yaml first, then the other files alphabetically (as DVC orders them).</summary>
    public static IEnumerable<LockedParams> OrderParams(IEnumerable<LockedParams> files) =>
        files.OrderBy(f => f.File == StageFileParser.DefaultParamsFile ? 0 : 1).ThenBy(f => f.File, StringComparer.Ordinal);

    public static void WriteCommand(LockYamlWriter writer, LockedStage stage)
    {
        if (stage.CommandIsList)
        {
            writer.BeginList();
            foreach (var command in stage.Commands)
            {
                writer.String(command);
            }

            writer.EndList();
        }
        else
        {
            writer.String(stage.Commands[0]);
        }
    }

    private static void WriteArtifacts(LockYamlWriter writer, string key, IReadOnlyList<LockedArtifact> artifacts)
    {
        if (artifacts.Count == 0)
        {
            return;
        }

        writer.String(key).BeginList();
        foreach (var artifact in artifacts.OrderBy(a => a.Path, StringComparer.Ordinal))
        {
            writer.BeginMap().Entry("path", artifact.Path).Entry("sha256", artifact.Hash);
            if (artifact.Size is { } size)
            {
                writer.Entry("size", size);
            }

            if (artifact.Files is { } files)
            {
                writer.Entry("nfiles", files);
            }

            writer.EndMap();
        }

        writer.EndList();
    }

    private static LockedStage ReadStage(string name, string stage, YamlNode node)
    {
        var map = node as YamlMappingNode ?? throw LockReader.Malformed(name, $"stage '{stage}' must be a mapping");
        foreach (var key in map.Children.Keys.Select(PipelineYaml.ScalarKey))
        {
            if (!StageKeys.Contains(key))
            {
                throw LockReader.Malformed(name, $"stage '{stage}': unknown key '{key}'");
            }
        }

        var (commands, isList) = LockReader.ReadCommand(name, stage, LockReader.Get(map, "cmd"));
        return new LockedStage
        {
            Name = stage,
            Commands = commands,
            CommandIsList = isList,
            Seed = LockReader.Long(name, $"stage '{stage}': seed", LockReader.Get(map, "seed")),
            RunId = PipelineYaml.Scalar(LockReader.Get(map, "run")),
            Deps = ReadArtifacts(name, stage, "deps", LockReader.Get(map, "deps")),
            Params = LockReader.ReadParams(name, stage, LockReader.Get(map, "params")),
            Outs = ReadArtifacts(name, stage, "outs", LockReader.Get(map, "outs")),
        };
    }

    private static List<LockedArtifact> ReadArtifacts(string name, string stage, string key, YamlNode? node)
    {
        if (node is null)
        {
            return [];
        }

        var list = node as YamlSequenceNode ?? throw LockReader.Malformed(name, $"stage '{stage}': {key} must be a list");
        var result = new List<LockedArtifact>();
        foreach (var item in list.Children)
        {
            var map = item as YamlMappingNode ?? throw LockReader.Malformed(name, $"stage '{stage}': each of {key} must have path and sha256");
            var unknown = map.Children.Keys.Select(PipelineYaml.ScalarKey).FirstOrDefault(k => !ArtifactKeys.Contains(k));
            if (unknown is not null)
            {
                throw LockReader.Malformed(name, $"stage '{stage}': {key}: unknown key '{unknown}'");
            }

            var path = PipelineYaml.Scalar(LockReader.Get(map, "path")) ?? throw LockReader.Malformed(name, $"stage '{stage}': an entry of {key} has no path");
            var sha = PipelineYaml.Scalar(LockReader.Get(map, "sha256"));
            if (sha is null || sha.Length != 64 || !sha.All(char.IsAsciiHexDigitLower))
            {
                throw LockReader.Malformed(name, $"stage '{stage}': {path}: sha256 must be 64 lower-case hex digits");
            }

            var files = LockReader.Long(name, $"stage '{stage}': {path}: nfiles", LockReader.Get(map, "nfiles"));
            result.Add(new LockedArtifact
            {
                Path = path,
                Hash = sha,
                HashName = "sha256",
                Size = LockReader.Long(name, $"stage '{stage}': {path}: size", LockReader.Get(map, "size")),
                Files = files is null ? null : (int)files,
            });
        }

        return result;
    }
}
