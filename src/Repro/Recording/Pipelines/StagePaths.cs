namespace Repro.Recording.Pipelines;

/// <summary>Turns a stage's paths into '/'-separated paths relative to the pipeline root, refusing any that leave it.</summary>
public static class StagePaths
{
    /// <summary>The path relative to the pipeline root, normalised; an error when it is absolute or escapes the root.</summary>
    public static string Resolve(PipelineDefinition definition, PipelineStage stage, string path, string role)
    {
        var where = $"{definition.DefinitionName}: stage '{stage.Name}'";
        if (path.Contains("://", StringComparison.Ordinal))
        {
            throw ReproException.Usage($"{where}: {role} '{path}' is a URL; repro reads only paths inside the workspace");
        }

        if (Path.IsPathRooted(path) || Path.IsPathRooted(stage.WorkingDirectory))
        {
            throw ReproException.Usage($"{where}: {role} '{path}' is an absolute path; paths must be inside the workspace");
        }

        var full = Path.GetFullPath(Path.Combine(definition.Root, stage.WorkingDirectory, path));
        var relative = Path.GetRelativePath(definition.Root, full).Replace('\\', '/');
        if (relative == ".." || relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            throw ReproException.Usage($"{where}: {role} '{path}' is outside the workspace");
        }

        return relative;
    }

    /// <summary>A dep that is a symlink must not lead out of the workspace (repro would record, and verify restore, a file it does not own).</summary>
    public static void RefuseLinkOutside(PipelineDefinition definition, PipelineStage stage, string path)
    {
        var full = Full(definition, Resolve(definition, stage, path, "dep"));
        FileSystemInfo info = Directory.Exists(full) ? new DirectoryInfo(full) : new FileInfo(full);
        if (info.LinkTarget is null)
        {
            return;
        }

        var target = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName;
        var root = Path.GetFullPath(definition.Root);
        if (target is not null && !target.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw ReproException.Usage($"{definition.DefinitionName}: stage '{stage.Name}': dep '{path}' is a symlink to {target}, outside the workspace");
        }
    }

    public static string Full(PipelineDefinition definition, string rootRelative) =>
        Path.GetFullPath(Path.Combine(definition.Root, rootRelative));

    /// <summary>True when one path is the other or lies inside it.</summary>
    public static bool Overlap(string a, string b) =>
        a == "." || b == "." || string.Equals(a, b, StringComparison.Ordinal)
        || a.StartsWith(b + "/", StringComparison.Ordinal) || b.StartsWith(a + "/", StringComparison.Ordinal);
}
