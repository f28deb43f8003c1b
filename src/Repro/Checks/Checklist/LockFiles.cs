namespace Repro.Checks.Checklist;

/// <summary>
/// Finds the files that pin Python dependencies in a workspace: requirements files whose every
/// requirement uses <c>==</c>, and the lock files of poetry, uv, conda-lock and pipenv.
/// </summary>
public static class LockFiles
{
    private static readonly string[] Locks = ["poetry.lock", "uv.lock", "conda-lock.yml", "conda-lock.yaml", "Pipfile.lock", "pdm.lock"];

    /// <summary>Fully pinning files (workspace-relative), and requirements files with loose lines and how many.</summary>
    public static async Task<(IReadOnlyList<string> Pinned, IReadOnlyList<string> Loose)> FindAsync(string root, CancellationToken cancellationToken)
    {
        var pinned = new List<string>();
        var loose = new List<string>();
        if (!Directory.Exists(root))
        {
            return (pinned, loose);
        }

        foreach (var path in Directory.EnumerateFiles(root).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (Locks.Contains(name, StringComparer.Ordinal) || name.EndsWith(".conda-lock.yml", StringComparison.Ordinal))
            {
                pinned.Add(name);
            }
            else if (name.StartsWith("requirements", StringComparison.Ordinal) && name.EndsWith(".txt", StringComparison.Ordinal))
            {
                var unpinned = 0;
                var requirements = 0;
                foreach (var raw in await File.ReadAllLinesAsync(path, cancellationToken))
                {
                    var line = raw.Split('#')[0].Trim();
                    if (line.Length == 0 || line.StartsWith('-'))
                    {
                        continue;
                    }

                    requirements++;
                    if (!line.Contains("==", StringComparison.Ordinal))
                    {
                        unpinned++;
                    }
                }

                if (requirements > 0 && unpinned == 0)
                {
                    pinned.Add(name);
                }
                else if (requirements > 0)
                {
                    loose.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name} ({unpinned} of {requirements} requirements without ==)"));
                }
            }
        }

        return (pinned, loose);
    }
}
