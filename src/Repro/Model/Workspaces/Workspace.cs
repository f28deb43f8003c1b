namespace Repro.Model.Workspaces;

/// <summary>
/// A folder holding <c>.repro/</c>: the run store, the content cache and local state. Found
/// by walking up from the current folder, like git finds <c>.git</c>.
/// </summary>
public sealed class Workspace
{
    public const string DirectoryName = ".repro";

    private Workspace(string root, string? reproDirectory = null)
    {
        Root = root;
        ReproDirectory = reproDirectory ?? Path.Combine(root, DirectoryName);
    }

    public string Root { get; }

    public string ReproDirectory { get; }

    public string DatabasePath => Path.Combine(ReproDirectory, "repro.db");

    public string StatePath => Path.Combine(ReproDirectory, "state.db");

    public string CachePath => Path.Combine(ReproDirectory, "cache");

    public string TempPath => Path.Combine(ReproDirectory, "tmp");

    public string ConfigPath => Path.Combine(ReproDirectory, "config.yaml");

    /// <summary>Finds the workspace containing <paramref name="start"/>, or null.</summary>
    public static Workspace? Find(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, DirectoryName)))
            {
                return new Workspace(dir.FullName);
            }
        }

        return null;
    }

    /// <summary>Like <see cref="Find"/>, but a missing workspace is a user error with a hint.</summary>
    public static Workspace Require(string start) =>
        Find(start) ?? throw ReproException.Usage("no .repro/ folder here or in any parent folder (run `repro init` first)");

    /// <summary>Creates <c>.repro/</c> in <paramref name="root"/>; returns false if it already existed.</summary>
    public static (Workspace Workspace, bool Created) Init(string root)
    {
        var full = Path.GetFullPath(root);
        var workspace = new Workspace(full);
        var created = !Directory.Exists(workspace.ReproDirectory);
        Directory.CreateDirectory(workspace.ReproDirectory);
        Directory.CreateDirectory(workspace.CachePath);
        WriteIfMissing(Path.Combine(workspace.ReproDirectory, ".gitignore"), "# Local to this machine: the run store, the cache and scratch space.\n*\n!.gitignore\n!config.yaml\n");
        WriteIfMissing(workspace.ConfigPath, "# repro workspace settings\nversion: 1\n");
        return (workspace, created);
    }

    /// <summary>
    /// A stand-in workspace rooted at <paramref name="root"/> (a scratch checkout) whose store and
    /// cache are this workspace's: paths are recorded relative to the scratch root.
    /// </summary>
    public Workspace WithRoot(string root) => new(Path.GetFullPath(root), ReproDirectory);

    /// <summary>The path as recorded: relative to the root with '/' when inside, absolute otherwise.</summary>
    public string Relative(string fullPath)
    {
        var relative = Path.GetRelativePath(Root, Path.GetFullPath(fullPath));
        if (relative == ".")
        {
            return ".";
        }

        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            return Path.GetFullPath(fullPath).Replace('\\', '/');
        }

        return relative.Replace('\\', '/');
    }

    private static void WriteIfMissing(string path, string content)
    {
        if (!File.Exists(path))
        {
            File.WriteAllText(path, content);
        }
    }
}
