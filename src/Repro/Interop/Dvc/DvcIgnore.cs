using System.Text;
using System.Text.RegularExpressions;

namespace Repro.Interop.Dvc;

/// <summary>
/// The root <c>.dvcignore</c>, gitignore syntax as DVC reads it: comments, <c>!</c> re-includes,
/// a trailing <c>/</c> for folders only, patterns with a <c>/</c> anchored at the root and others
/// matching a name at any depth, <c>*</c>, <c>?</c>, <c>[…]</c> and <c>**</c>. The last matching
/// pattern wins; nothing inside an ignored folder is seen. A .dvcignore in a folder between the
/// root and a tracked folder applies below its own folder, after (so over) the root's; one inside a
/// tracked folder is refused, as DVC does.
/// </summary>
public sealed class DvcIgnore
{
    public const string FileName = ".dvcignore";

    private readonly List<(Regex Pattern, bool Negated, bool DirectoryOnly, string Base)> _rules;

    private DvcIgnore(List<(Regex, bool, bool, string)> rules)
    {
        _rules = rules;
    }

    public static DvcIgnore Empty { get; } = new([]);

    public bool IsEmpty => _rules.Count == 0;

    public static DvcIgnore Load(string root)
    {
        var path = Path.Combine(root, FileName);
        return File.Exists(path) ? Parse(File.ReadAllLines(path)) : Empty;
    }

    /// <summary>The root's rules followed by those of every .dvcignore in the folders from the root down to <paramref name="fullPath"/>'s parent.</summary>
    public static DvcIgnore LoadFor(string root, string fullPath)
    {
        var rules = new List<(Regex, bool, bool, string)>(Load(root)._rules);
        var relative = Path.GetRelativePath(root, fullPath).Replace('\\', '/');
        if (relative == "." || relative.StartsWith("../", StringComparison.Ordinal))
        {
            return new DvcIgnore(rules);
        }

        var parts = relative.Split('/');
        for (var depth = 1; depth < parts.Length; depth++)
        {
            var folder = string.Join('/', parts[..depth]);
            var file = Path.Combine(root, folder, FileName);
            if (File.Exists(file))
            {
                rules.AddRange(Parse(File.ReadAllLines(file), folder)._rules);
            }
        }

        return new DvcIgnore(rules);
    }

    /// <summary>Rules of one .dvcignore; <paramref name="folder"/> is its root-relative folder ("" for the root).</summary>
    public static DvcIgnore Parse(IEnumerable<string> lines, string folder = "")
    {
        var rules = new List<(Regex, bool, bool, string)>();
        foreach (var raw in lines)
        {
            var line = raw.TrimEnd();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var negated = line.StartsWith('!');
            if (negated || line.StartsWith("\\!", StringComparison.Ordinal) || line.StartsWith("\\#", StringComparison.Ordinal))
            {
                line = line[1..];
            }

            var directoryOnly = line.EndsWith('/');
            line = line.TrimEnd('/');
            if (line.Length == 0)
            {
                continue;
            }

            var anchored = line.Contains('/', StringComparison.Ordinal);
            line = line.TrimStart('/');
            var body = Translate(line);
            rules.Add((new Regex(anchored ? $"^{body}$" : $"^(?:.*/)?{body}$", RegexOptions.CultureInvariant), negated, directoryOnly, folder));
        }

        return new DvcIgnore(rules);
    }

    /// <summary>Whether a root-relative, '/'-separated path is ignored (its folders are checked by the walk).</summary>
    public bool IsIgnored(string relative, bool isDirectory)
    {
        var ignored = false;
        foreach (var (pattern, negated, directoryOnly, folder) in _rules)
        {
            var below = folder.Length == 0 ? relative : relative.StartsWith(folder + "/", StringComparison.Ordinal) ? relative[(folder.Length + 1)..] : null;
            if (below is not null && (!directoryOnly || isDirectory) && pattern.IsMatch(below))
            {
                ignored = !negated;
            }
        }

        return ignored;
    }

    private static string Translate(string pattern)
    {
        var regex = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                var atStart = i == 0 || pattern[i - 1] == '/';
                var slashAfter = i + 2 < pattern.Length && pattern[i + 2] == '/';
                if (atStart && slashAfter)
                {
                    regex.Append("(?:.*/)?");
                    i += 2;
                }
                else
                {
                    regex.Append(".*");
                    i += 1;
                }
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else if (c == '[' && pattern.IndexOf(']', i + 1) is var end and > 0)
            {
                var set = pattern[(i + 1)..end];
                regex.Append('[').Append(set.StartsWith('!') ? "^" + Regex.Escape(set[1..]) : Regex.Escape(set)).Append(']');
                i = end;
            }
            else if (c == '\\' && i + 1 < pattern.Length)
            {
                regex.Append(Regex.Escape(pattern[++i].ToString()));
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }

        return regex.ToString();
    }
}
