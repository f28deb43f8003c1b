using Repro.Recording.Pipelines;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Repro.Interop.Dvc;

/// <summary>
/// <c>dvc.lock</c>, schema '2.0', as DVC 3 reads and writes it: per stage <c>cmd</c>, then
/// <c>deps</c> and <c>outs</c> sorted by path, each <c>path</c>, <c>hash: md5</c> (absent in
/// entries DVC 2 wrote: those md5s are dos2unix ones), <c>md5</c> (".dir" for a folder),
/// <c>size</c>, <c>nfiles</c> (folders), <c>isexec</c> (when set); and <c>params</c> with
/// params.yaml first, then other files alphabetically, keys sorted. Rewriting a lock keeps every
/// stage that did not run exactly as it was.
/// </summary>
public static class DvcLockFile
{
    private static readonly HashSet<string> StageKeys = new(StringComparer.Ordinal) { "cmd", "deps", "params", "outs" };

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

        var schema = PipelineYaml.Scalar(LockReader.Get(root, "schema"));
        if (schema != "2.0")
        {
            throw LockReader.Malformed(name, schema is null ? "no schema: '2.0' (a DVC 1 lock file; `dvc repro` with DVC 2 or later upgrades it)" : $"schema '{schema}' is not '2.0'");
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

    /// <summary>
    /// The lock text with <paramref name="changed"/> stages re-rendered (or appended) and every other
    /// stage node left as the existing file has it.
    /// </summary>
    public static string Render(string path, PipelineLock pipelineLock, IReadOnlySet<string> changed)
    {
        var stream = new YamlStream();
        YamlMappingNode root;
        if (File.Exists(path) && PipelineYaml.LoadMapping(path) is { Children.Count: > 0 } existing)
        {
            root = existing;
        }
        else
        {
            root = new YamlMappingNode { { new YamlScalarNode("schema"), new YamlScalarNode("2.0") { Style = ScalarStyle.SingleQuoted } } };
        }

        if (LockReader.Get(root, "stages") is not YamlMappingNode stages)
        {
            stages = new YamlMappingNode();
            root.Children[new YamlScalarNode("stages")] = stages;
        }

        foreach (var stage in pipelineLock.Stages.Where(s => changed.Contains(s.Name)))
        {
            stages.Children[new YamlScalarNode(stage.Name)] = StageNode(stage);
        }

        stream.Add(new YamlDocument(root));
        return LockYamlWriter.Render(stream);
    }

    private static YamlNode StageNode(LockedStage stage)
    {
        var writer = new LockYamlWriter().BeginMap();
        writer.String("cmd");
        ReproLockFile.WriteCommand(writer, stage);
        WriteArtifacts(writer, "deps", stage.Deps);
        if (stage.Params.Count > 0)
        {
            writer.String("params").BeginMap();
            foreach (var file in ReproLockFile.OrderParams(stage.Params))
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
        var text = writer.EndMap().Finish();
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents[0].RootNode;
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
            writer.BeginMap().Entry("path", artifact.Path);
            if (artifact.HashName == DvcHasher.Md5)
            {
                writer.Entry("hash", "md5");
            }

            writer.Entry("md5", artifact.Hash);
            if (artifact.Size is { } size)
            {
                writer.Entry("size", size);
            }

            if (artifact.Files is { } files)
            {
                writer.Entry("nfiles", files);
            }

            if (artifact.IsExecutable)
            {
                writer.String("isexec").Bool(true);
            }

            writer.EndMap();
        }

        writer.EndList();
    }

    private static LockedStage ReadStage(string name, string stage, YamlNode node)
    {
        var map = node as YamlMappingNode ?? throw LockReader.Malformed(name, $"stage '{stage}' must be a mapping");
        var unknown = map.Children.Keys.Select(PipelineYaml.ScalarKey).FirstOrDefault(k => !StageKeys.Contains(k));
        if (unknown is not null)
        {
            throw LockReader.Malformed(name, $"stage '{stage}': unknown key '{unknown}'");
        }

        var (commands, isList) = LockReader.ReadCommand(name, stage, LockReader.Get(map, "cmd"));
        return new LockedStage
        {
            Name = stage,
            Commands = commands,
            CommandIsList = isList,
            Deps = ReadArtifacts(name, stage, "deps", LockReader.Get(map, "deps")),
            Params = LockReader.ReadParams(name, stage, LockReader.Get(map, "params")),
            Outs = ReadArtifacts(name, stage, "outs", LockReader.Get(map, "outs")),
        };
    }

    /// <summary>Entries of deps/outs; a folder given as a <c>files</c> list gets its hash computed from the list, as DVC does.</summary>
    internal static List<LockedArtifact> ReadArtifacts(string name, string stage, string key, YamlNode? node)
    {
        if (node is null)
        {
            return [];
        }

        var list = node as YamlSequenceNode ?? throw LockReader.Malformed(name, $"stage '{stage}': {key} must be a list");
        var result = new List<LockedArtifact>();
        foreach (var item in list.Children)
        {
            var map = item as YamlMappingNode ?? throw LockReader.Malformed(name, $"stage '{stage}': each of {key} must be a mapping with a path");
            result.Add(ReadArtifact(name, $"stage '{stage}': {key}", map));
        }

        return result;
    }

    internal static LockedArtifact ReadArtifact(string name, string where, YamlMappingNode map)
    {
        var path = PipelineYaml.Scalar(LockReader.Get(map, "path")) ?? throw LockReader.Malformed(name, $"{where}: an entry has no path");
        var hashField = PipelineYaml.Scalar(LockReader.Get(map, "hash"));
        if (hashField is not (null or "md5"))
        {
            throw LockReader.Malformed(name, $"{where}: {path}: hash '{hashField}' is not supported (only md5)");
        }

        var hashName = hashField is null ? DvcHasher.Md5Dos2Unix : DvcHasher.Md5;
        var md5 = PipelineYaml.Scalar(LockReader.Get(map, "md5"));
        var nfiles = LockReader.Long(name, $"{where}: {path}: nfiles", LockReader.Get(map, "nfiles"));
        var size = LockReader.Long(name, $"{where}: {path}: size", LockReader.Get(map, "size"));
        if (md5 is null && LockReader.Get(map, "files") is YamlSequenceNode files)
        {
            var entries = new List<(string, string)>();
            long total = 0;
            foreach (var file in files.Children.OfType<YamlMappingNode>())
            {
                var rel = PipelineYaml.Scalar(LockReader.Get(file, "relpath")) ?? throw LockReader.Malformed(name, $"{where}: {path}: a file has no relpath");
                entries.Add((rel, PipelineYaml.Scalar(LockReader.Get(file, "md5")) ?? string.Empty));
                total += LockReader.Long(name, $"{where}: {path}: size", LockReader.Get(file, "size")) ?? 0;
            }

            md5 = DvcMd5.DirHash(entries);
            nfiles ??= entries.Count;
            size ??= total;
        }

        var bare = md5?.EndsWith(DvcMd5.DirSuffix, StringComparison.Ordinal) == true ? md5[..^DvcMd5.DirSuffix.Length] : md5;
        if (md5 is not null && (bare!.Length != 32 || !bare.All(char.IsAsciiHexDigit)))
        {
            throw LockReader.Malformed(name, $"{where}: {path}: md5 '{md5}' is not 32 hex digits");
        }

        return new LockedArtifact
        {
            Path = path,
            Hash = md5 ?? string.Empty,
            HashName = hashName,
            Size = size,
            Files = nfiles is null ? null : (int)nfiles,
            IsExecutable = LockReader.Get(map, "isexec") is { } exec && PipelineYaml.Bool(exec, $"{name}: {where}: {path}: isexec"),
        };
    }
}
