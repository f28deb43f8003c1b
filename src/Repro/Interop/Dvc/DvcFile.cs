using Repro.Recording.Pipelines;
using YamlDotNet.RepresentationModel;

namespace Repro.Interop.Dvc;

/// <summary>
/// Reads <c>.dvc</c> files (what <c>dvc add</c> and <c>dvc import</c> write): <c>outs</c> with
/// <c>md5</c>, <c>size</c>, <c>nfiles</c>, <c>hash</c> and <c>path</c> (relative to the file's
/// folder and its <c>wdir</c>), plus <c>md5</c>, <c>frozen</c>, <c>deps</c> and <c>desc</c> which
/// describe imports and are not needed to check the workspace.
/// </summary>
public static class DvcFile
{
    private static readonly HashSet<string> Keys = new(StringComparer.Ordinal) { "outs", "deps", "md5", "frozen", "wdir", "desc", "meta", "cmd", "locked", "always_changed" };

    public static IReadOnlyList<DvcFileOut> Read(string root, string dvcFilePath)
    {
        var relativeFile = Path.GetRelativePath(root, dvcFilePath).Replace('\\', '/');
        var mapping = PipelineYaml.LoadMapping(dvcFilePath);
        var unknown = mapping.Children.Keys.Select(PipelineYaml.ScalarKey).FirstOrDefault(k => !Keys.Contains(k));
        if (unknown is not null)
        {
            throw ReproException.Usage($"{relativeFile}: unknown key '{unknown}'");
        }

        var wdir = PipelineYaml.Scalar(LockReader.Get(mapping, "wdir")) ?? ".";
        var folder = Path.GetDirectoryName(Path.GetFullPath(dvcFilePath))!;
        var result = new List<DvcFileOut>();
        if (LockReader.Get(mapping, "outs") is not { } outsNode)
        {
            return result;
        }

        var outs = outsNode as YamlSequenceNode ?? throw ReproException.Usage($"{relativeFile}: outs must be a list");
        foreach (var item in outs.Children)
        {
            var map = item as YamlMappingNode ?? throw ReproException.Usage($"{relativeFile}: each out must be a mapping with a path");
            var recorded = DvcLockFile.ReadArtifact(relativeFile, "outs", map);
            var full = Path.GetFullPath(Path.Combine(folder, wdir, recorded.Path));
            var relative = Path.GetRelativePath(root, full).Replace('\\', '/');
            if (relative == ".." || relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative))
            {
                throw ReproException.Usage($"{relativeFile}: out '{recorded.Path}' is outside the project");
            }

            result.Add(new DvcFileOut { DvcFile = relativeFile, Path = relative, Recorded = recorded });
        }

        return result;
    }

    /// <summary>Every <c>*.dvc</c> file under the root, skipping .git, .dvc, .repro and DVC's ignores.</summary>
    public static IReadOnlyList<string> FindAll(string root) => FindAll(root, null);

    /// <summary>As <see cref="FindAll(string)"/>, not descending into the paths <paramref name="alsoSkip"/> names ('/'-separated, relative to the root).</summary>
    public static IReadOnlyList<string> FindAll(string root, IReadOnlySet<string>? alsoSkip) =>
        Repro.Blobs.Storage.ArtifactHasher.Enumerate(root, relative => DvcHasher.IsIgnored(relative) || relative.EndsWith("/.repro", StringComparison.Ordinal) || relative == ".repro" || alsoSkip?.Contains(relative) == true, stat: false)
            .Where(f => f.Relative.EndsWith(".dvc", StringComparison.Ordinal) && !f.Relative.EndsWith("/.dvc", StringComparison.Ordinal))
            .Select(f => f.Full)
            .Order(StringComparer.Ordinal)
            .ToList();
}
