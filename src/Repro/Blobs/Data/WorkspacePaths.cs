using Repro.Model.Workspaces;

namespace Repro.Blobs.Data;

/// <summary>
/// Keeps data paths inside the workspace: lexically (no <c>..</c> out, no absolute path
/// elsewhere) and physically (no symlink, at any level, leading out), and away from repro's
/// and git's own folders.
/// </summary>
public static class WorkspacePaths
{
    private const int MaxLinks = 40;

    /// <summary>The full path of <paramref name="input"/> (relative to <paramref name="baseFolder"/>), checked to stay in the workspace.</summary>
    public static string Resolve(Workspace workspace, string baseFolder, string input, string what)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            throw ReproException.Usage($"{what}: empty path");
        }

        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(baseFolder, input)));
        var relative = Path.GetRelativePath(workspace.Root, full);
        if (relative == "." || relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            throw ReproException.Usage(relative == "."
                ? $"{what}: cannot track the workspace root itself; name a file or folder inside it"
                : $"{what}: {input} is outside the workspace {workspace.Root}");
        }

        var first = relative.Split(Path.DirectorySeparatorChar)[0];
        if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is Workspace.DirectoryName or ".git"))
        {
            throw ReproException.Usage($"{what}: {input} is inside {(first == ".git" ? ".git" : "repro's own .repro")} folder");
        }

        var realRoot = RealPath(workspace.Root);
        var real = RealPath(full);
        if (!IsInside(realRoot, real))
        {
            throw ReproException.Usage($"{what}: {input} leads out of the workspace through a symbolic link (to {real})");
        }

        return full;
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="root"/> or below it.</summary>
    public static bool IsInside(string root, string path) =>
        string.Equals(root, path, StringComparison.Ordinal)
        || path.StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>
    /// The path with every symbolic link in it resolved (components that do not exist are kept
    /// as written), like realpath(3) without requiring the path to exist.
    /// </summary>
    public static string RealPath(string fullPath)
    {
        var parts = new Queue<string>(fullPath.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries));
        var current = Path.GetPathRoot(fullPath) ?? "/";
        var links = 0;
        while (parts.Count > 0)
        {
            var part = parts.Dequeue();
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Combine(current, part);
            var info = new FileInfo(next);
            if (info.LinkTarget is { } target)
            {
                if (++links > MaxLinks)
                {
                    throw ReproException.Usage($"too many levels of symbolic links at {next}");
                }

                var resolved = Path.GetFullPath(target, current);
                var rest = parts.ToArray();
                parts = new Queue<string>(resolved.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Concat(rest));
                current = Path.GetPathRoot(resolved) ?? "/";
                continue;
            }

            current = next;
        }

        return current;
    }
}
