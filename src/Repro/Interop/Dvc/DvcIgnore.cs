namespace Repro.Interop.Dvc;

/// <summary>
/// <c>.dvcignore</c> changes which files a folder's hash covers. repro applies DVC's built-in
/// ignores only, so a project whose <c>.dvcignore</c> has patterns is refused rather than hashed wrongly.
/// </summary>
public static class DvcIgnore
{
    public const string FileName = ".dvcignore";

    public static IReadOnlyList<string> Patterns(string root)
    {
        var path = Path.Combine(root, FileName);
        if (!File.Exists(path))
        {
            return [];
        }

        return File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
    }

    public static void ThrowIfUsed(string root)
    {
        var patterns = Patterns(root);
        if (patterns.Count > 0)
        {
            throw ReproException.Usage($"{FileName} has patterns ('{patterns[0]}'); repro does not apply .dvcignore to folder hashes yet, so it cannot compare folders with DVC here");
        }
    }
}
