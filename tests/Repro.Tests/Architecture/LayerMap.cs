using System.Text.RegularExpressions;

namespace Repro.Tests.Architecture;

/// <summary>
/// The library's layers, bottom first, and what the source imports: each namespace's
/// <c>using</c> directives and fully qualified <c>Repro.…</c> names. A namespace may import its
/// own layer or one below; no two namespaces may import each other, directly or round a cycle.
/// </summary>
public sealed partial class LayerMap
{
    /// <summary>The wings of src/Repro, bottom first; the root namespace <c>Repro</c> sits below them all.</summary>
    public static IReadOnlyList<string> Layers { get; } =
        ["Platform", "Model", "Blobs", "Capture", "Execution", "Recording", "Judging", "Checks", "Interop", "Evidence", "Catalog", "Ports"];

    private readonly Dictionary<string, Dictionary<string, SortedSet<string>>> _imports = new(StringComparer.Ordinal);

    private LayerMap()
    {
    }

    /// <summary>Source file (its path relative to the library folder) by namespace.</summary>
    public Dictionary<string, List<string>> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>Files whose namespace is not the one their folder names.</summary>
    public List<string> Misplaced { get; } = [];

    /// <summary>Reads every C# file under <paramref name="libraryFolder"/> (bin and obj skipped).</summary>
    public static LayerMap Read(string libraryFolder)
    {
        var files = Directory.EnumerateFiles(libraryFolder, "*.cs", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(libraryFolder, p).Replace('\\', '/'))
            .Where(p => !p.StartsWith("bin/", StringComparison.Ordinal) && !p.StartsWith("obj/", StringComparison.Ordinal))
            .Select(p => (p, File.ReadAllText(Path.Combine(libraryFolder, p))));
        return From(files);
    }

    /// <summary>Builds the map from (relative path, text) pairs.</summary>
    public static LayerMap From(IEnumerable<(string Path, string Text)> files)
    {
        var map = new LayerMap();
        var texts = new List<(string Path, string Namespace, string Text)>();
        foreach (var (path, text) in files)
        {
            var declared = NamespaceLine().Match(text);
            var name = declared.Success ? declared.Groups[1].Value : "Repro";
            var folder = Path.GetDirectoryName(path)?.Replace('\\', '/') ?? string.Empty;
            var expected = folder.Length == 0 ? "Repro" : "Repro." + folder.Replace('/', '.');
            if (!string.Equals(name, expected, StringComparison.Ordinal))
            {
                map.Misplaced.Add($"{path} declares {name}, its folder names {expected}");
            }

            map.Files.TryAdd(name, []);
            map.Files[name].Add(path);
            texts.Add((path, name, text));
        }

        foreach (var (path, name, text) in texts)
        {
            foreach (var line in text.Split('\n'))
            {
                var trimmed = line.TrimStart();
                if (trimmed.StartsWith("//", StringComparison.Ordinal) || trimmed.StartsWith("namespace ", StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (Match reference in QualifiedName().Matches(line))
                {
                    var target = map.KnownPrefix(reference.Value);
                    if (target is not null && !string.Equals(target, name, StringComparison.Ordinal))
                    {
                        map.Add(name, target, path);
                    }
                }
            }
        }

        return map;
    }

    /// <summary>The layer a namespace belongs to (its second part), or <c>-1</c> for the root namespace.</summary>
    public static int LayerOf(string name)
    {
        var parts = name.Split('.');
        return parts.Length < 2 ? -1 : IndexOf(parts[1]);
    }

    /// <summary>Every import that points up: "file: A imports B (layer X above Y)".</summary>
    public IReadOnlyList<string> UpwardImports()
    {
        var found = new List<string>();
        foreach (var (from, targets) in _imports)
        {
            foreach (var (to, paths) in targets)
            {
                if (LayerOf(to) > LayerOf(from))
                {
                    found.AddRange(paths.Select(p => $"{p}: {from} imports {to} ({Layer(to)} is above {Layer(from)})"));
                }
            }
        }

        return found;
    }

    /// <summary>Namespaces in a layer no one declared.</summary>
    public IReadOnlyList<string> OutsideLayers() =>
        Files.Keys.Where(n => n.Split('.').Length >= 2 && LayerOf(n) < 0).Order(StringComparer.Ordinal).ToList();

    /// <summary>Every group of namespaces that import each other round a cycle, each with one file per edge.</summary>
    public IReadOnlyList<string> Cycles()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var cycles = new List<string>();
        var counter = 0;

        void Visit(string node)
        {
            index[node] = low[node] = counter++;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in Targets(node))
            {
                if (!index.TryGetValue(next, out var seen))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], seen);
                }
            }

            if (low[node] == index[node])
            {
                var group = new List<string>();
                string popped;
                do
                {
                    popped = stack.Pop();
                    onStack.Remove(popped);
                    group.Add(popped);
                }
                while (!string.Equals(popped, node, StringComparison.Ordinal));

                if (group.Count > 1)
                {
                    var members = group.ToHashSet(StringComparer.Ordinal);
                    var edges = group.Order(StringComparer.Ordinal)
                        .SelectMany(a => Targets(a).Where(members.Contains).Select(b => $"{a} → {b} ({_imports[a][b].First()})"));
                    cycles.Add(string.Join("; ", edges));
                }
            }
        }

        foreach (var node in Files.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return cycles;
    }

    private static int IndexOf(string layer)
    {
        for (var i = 0; i < Layers.Count; i++)
        {
            if (string.Equals(Layers[i], layer, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static string Layer(string name) => LayerOf(name) is var i and >= 0 ? Layers[i] : "the root";

    private IEnumerable<string> Targets(string node) =>
        _imports.TryGetValue(node, out var targets) ? targets.Keys.Order(StringComparer.Ordinal) : [];

    private string? KnownPrefix(string qualified)
    {
        var parts = qualified.Split('.');
        for (var k = parts.Length; k >= 1; k--)
        {
            var prefix = string.Join('.', parts.Take(k));
            if (Files.ContainsKey(prefix))
            {
                return prefix;
            }
        }

        return null;
    }

    private void Add(string from, string to, string path)
    {
        if (!_imports.TryGetValue(from, out var targets))
        {
            _imports[from] = targets = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        }

        if (!targets.TryGetValue(to, out var paths))
        {
            targets[to] = paths = new SortedSet<string>(StringComparer.Ordinal);
        }

        paths.Add(path);
    }

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"(?<![\w.])Repro(?:\.[A-Z]\w*)+")]
    private static partial Regex QualifiedName();
}
