using System.CommandLine;
using System.Text.RegularExpressions;

namespace Repro.Cli.Tests;

/// <summary>
/// Compares the command tree with the reference in docs/. A command is documented by a heading
/// <c>## repro data push</c> on the page its top-level command's description names
/// (<c>Reference: docs/data.md</c>), followed by a table whose first column names each flag in
/// backticks (<c>`-j`, `--jobs N`</c>). Every command <c>repro …</c> in inline code or a code block of the
/// docs and the README must name flags the command has.
/// </summary>
public static partial class DocsReference
{
    private static readonly HashSet<string> GlobalFlags = new(StringComparer.Ordinal) { "--verbose", "--help", "-h", "-?", "--version" };

    /// <summary>The folder that holds Repro.sln, found by walking up from the test binaries.</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Repro.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("no folder above the test binaries holds Repro.sln");
    }

    /// <summary>Every command of the tree, by path ("repro data push"), built as ReproApp builds it.</summary>
    public static Dictionary<string, Command> CommandTree()
    {
        var context = new CliContext(TextWriter.Null, TextWriter.Null, []);
        var tree = new Dictionary<string, Command>(StringComparer.Ordinal);
        foreach (var (name, create) in ReproApp.Commands)
        {
            Add(tree, "repro " + name, create(context));
        }

        return tree;
    }

    /// <summary>The page a top-level command's description points to, e.g. "docs/verify.md", or null.</summary>
    public static string? ReferencePage(Command command)
    {
        var match = ReferencePattern().Match(command.Description ?? "");
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>
    /// What disagrees between the tree and the docs in <paramref name="root"/> (which holds docs/
    /// and README.md): one line per problem, empty when they agree.
    /// </summary>
    public static List<string> Problems(string root)
    {
        var tree = CommandTree();
        var problems = new List<string>();
        var sections = new Dictionary<string, (string Page, HashSet<string> Flags)>(StringComparer.Ordinal);
        var docs = Path.Combine(root, "docs");
        foreach (var file in Directory.GetFiles(docs, "*.md").Order(StringComparer.Ordinal))
        {
            var page = "docs/" + Path.GetFileName(file);
            foreach (var (path, flags) in Sections(File.ReadAllLines(file)))
            {
                if (!sections.TryAdd(path, (page, flags)))
                {
                    problems.Add($"{path} has a heading on both {sections[path].Page} and {page}");
                }
            }
        }

        // Every visible command and flag of the tree, documented on its group's page.
        foreach (var (path, command) in tree)
        {
            if (IsHidden(path, tree))
            {
                continue;
            }

            var top = tree[string.Join(' ', path.Split(' ').Take(2))];
            var page = ReferencePage(top);
            if (page is null)
            {
                problems.Add($"{path.Split(' ')[1]}: its description names no page (Reference: docs/….md)");
                continue;
            }

            if (!File.Exists(Path.Combine(root, page)))
            {
                problems.Add($"{path}: its description names {page}, which does not exist");
            }

            var flags = Flags(command, includeHidden: false);
            var isGroup = command.Action is null && flags.Count == 0;
            if (!sections.TryGetValue(path, out var section))
            {
                if (!isGroup)
                {
                    problems.Add($"{path} has no heading '## {path}' in docs/ (expected on {page})");
                }

                continue;
            }

            if (section.Page != page)
            {
                problems.Add($"{path} is documented on {section.Page}, but its group's page is {page}");
            }

            foreach (var flag in flags.Where(f => !section.Flags.Contains(f)))
            {
                problems.Add($"{path} {flag} is not in the option table under '## {path}' on {section.Page}");
            }
        }

        // Every documented command and flag exists.
        foreach (var (path, section) in sections)
        {
            if (!tree.TryGetValue(path, out var command))
            {
                problems.Add($"{section.Page}: '## {path}' is not a command");
                continue;
            }

            var flags = Flags(command, includeHidden: true);
            foreach (var flag in section.Flags.Where(f => !flags.Contains(f) && !GlobalFlags.Contains(f)))
            {
                problems.Add($"{section.Page}: {path} has no flag {flag} (its option table lists it)");
            }
        }

        // Every `repro … --flag` written in code, in the docs and the README, names a real flag.
        var texts = Directory.GetFiles(docs, "*.md").Order(StringComparer.Ordinal).Select(f => ("docs/" + Path.GetFileName(f), f)).ToList();
        texts.Add(("README.md", Path.Combine(root, "README.md")));
        foreach (var (page, file) in texts)
        {
            foreach (var code in CodeTexts(File.ReadAllLines(file)))
            {
                foreach (var (path, flag) in Mentions(code, tree))
                {
                    problems.Add($"{page}: '{path} {flag}' is written in `{code.Trim()}`, but {path} has no flag {flag}");
                }
            }
        }

        return problems;
    }

    private static void Add(Dictionary<string, Command> tree, string path, Command command)
    {
        tree[path] = command;
        foreach (var sub in command.Subcommands)
        {
            Add(tree, path + " " + sub.Name, sub);
        }
    }

    private static bool IsHidden(string path, Dictionary<string, Command> tree)
    {
        var words = path.Split(' ');
        for (var n = 2; n <= words.Length; n++)
        {
            if (tree[string.Join(' ', words.Take(n))].Hidden)
            {
                return true;
            }
        }

        return false;
    }

    private static HashSet<string> Flags(Command command, bool includeHidden)
    {
        var flags = new HashSet<string>(StringComparer.Ordinal);
        foreach (var option in command.Options)
        {
            if (GlobalFlags.Contains(option.Name) || (option.Hidden && !includeHidden))
            {
                continue;
            }

            flags.Add(option.Name);
            flags.UnionWith(option.Aliases);
        }

        return flags;
    }

    /// <summary>Each "## repro …" heading and the flags its section's tables name in their first column.</summary>
    private static IEnumerable<(string Path, HashSet<string> Flags)> Sections(string[] lines)
    {
        string? path = null;
        var flags = new HashSet<string>(StringComparer.Ordinal);
        var fenced = false;
        foreach (var line in lines)
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }

            if (fenced)
            {
                continue;
            }

            if (line.StartsWith("# ", StringComparison.Ordinal) || line.StartsWith("## ", StringComparison.Ordinal))
            {
                if (path is not null)
                {
                    yield return (path, flags);
                }

                var heading = CommandHeading().Match(line);
                path = heading.Success ? heading.Groups[1].Value : null;
                flags = new HashSet<string>(StringComparer.Ordinal);
                continue;
            }

            if (path is null || !line.StartsWith('|'))
            {
                continue;
            }

            var cells = CellBorder().Split(line);
            if (cells.Length < 3)
            {
                continue;
            }

            foreach (Match code in CodeSpan().Matches(cells[1]))
            {
                var word = code.Groups[1].Value.Split(' ')[0];
                if (FlagWord().IsMatch(word))
                {
                    flags.Add(word);
                }
            }
        }

        if (path is not null)
        {
            yield return (path, flags);
        }
    }

    /// <summary>The text of every inline code span and every line of every fenced code block.</summary>
    private static IEnumerable<string> CodeTexts(string[] lines)
    {
        var fenced = false;
        foreach (var line in lines)
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }

            if (fenced)
            {
                yield return line;
                continue;
            }

            foreach (Match code in CodeSpan().Matches(line))
            {
                yield return code.Groups[1].Value;
            }
        }
    }

    /// <summary>The flags written after "repro COMMAND…" in one piece of code that the command does not have.</summary>
    public static IEnumerable<(string Path, string Flag)> Mentions(string code, IReadOnlyDictionary<string, Command> tree)
    {
        foreach (Match start in ReproWord().Matches(code))
        {
            var tokens = code[(start.Index + start.Length)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var path = "repro";
            var i = 0;
            while (i < tokens.Length && tree.ContainsKey(path + " " + tokens[i]))
            {
                path += " " + tokens[i];
                i++;
            }

            HashSet<string> flags = tree.TryGetValue(path, out var command) ? Flags(command, includeHidden: true) : [];
            for (; i < tokens.Length; i++)
            {
                var token = tokens[i];
                if (token is "--" or "|" or "&&" or "||" or ";" || token.StartsWith('#'))
                {
                    break;
                }

                var stop = false;
                foreach (var piece in token.TrimStart('[', '(').Split('|'))
                {
                    if (piece == "--")
                    {
                        stop = true;
                        break;
                    }

                    var flag = LeadingFlag().Match(piece);
                    if (flag.Success && !flags.Contains(flag.Value) && !GlobalFlags.Contains(flag.Value))
                    {
                        yield return (path, flag.Value);
                    }
                }

                if (stop)
                {
                    break;
                }
            }
        }
    }

    [GeneratedRegex(@"Reference: (docs/[a-z0-9-]+\.md)")]
    private static partial Regex ReferencePattern();

    [GeneratedRegex(@"^## (repro(?: [a-z][a-z0-9-]*)+)\s*$")]
    private static partial Regex CommandHeading();

    [GeneratedRegex(@"(?<!\\)\|")]
    private static partial Regex CellBorder();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"^--?[A-Za-z][A-Za-z0-9-]*$")]
    private static partial Regex FlagWord();

    [GeneratedRegex(@"^--?[A-Za-z][A-Za-z0-9-]*")]
    private static partial Regex LeadingFlag();

    [GeneratedRegex(@"(?<=(?:^|&&|;|\||\()\s*(?:[A-Z_][A-Z0-9_]*=\S*\s+)*)repro(?= )")]
    private static partial Regex ReproWord();
}
