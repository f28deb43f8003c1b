using Repro.Capture;
using Repro.Model.Findings;
using Repro.Model.Serialization;

namespace Repro.Checks.Lint;

/// <summary>
/// <c>repro lint</c>'s engine: finds the scripts and notebooks under the given paths, has the
/// interpreter parse them all in one process, runs every check on each file (a notebook is one
/// program, cell after cell), then drops what is not selected or silenced by <c># repro: ignore</c>.
/// </summary>
public static class Linter
{
    private static readonly HashSet<string> SkippedDirectories = new(StringComparer.Ordinal)
    {
        "__pycache__", "node_modules", "site-packages", "venv", "env", "build", "dist",
    };

    public static IReadOnlyList<ILintCheck> Checks { get; } = [DeterminismCheck.Instance, LeakageCheck.Instance];

    /// <summary>The rules a run with <paramref name="options"/> reports, in catalogue order.</summary>
    public static IReadOnlyList<RuleDescriptor> Rules(LintOptions options) => LintRules.All.Where(r => options.Enabled(r.Id)).ToList();

    public static async Task<LintReport> LintAsync(IReadOnlyList<string> paths, string baseDirectory, LintOptions options, string? pathVariable, CancellationToken cancellationToken)
    {
        var files = Expand(paths, baseDirectory);
        var units = new List<SourceUnit>();
        foreach (var file in files)
        {
            var display = Display(file, baseDirectory);
            string text;
            try
            {
                text = BoundedFile.ReadAllText(file, file.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase) ? NotebookLimits.MaxBytes : TextLimits.MaxFileBytes, display);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw ReproException.Usage($"cannot read {display}: {ex.Message}");
            }

            if (file.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase))
            {
                units.AddRange(NotebookReader.Read(display, text));
            }
            else
            {
                units.Add(new SourceUnit { Path = display, Text = text });
            }
        }

        string? interpreter = null;
        IReadOnlyList<ParsedUnit> parsed = [];
        if (units.Count > 0)
        {
            interpreter = ExecutableResolver.Find(options.Python, pathVariable, baseDirectory)
                ?? throw ReproException.CannotExecute(options.Python.Contains('/', StringComparison.Ordinal)
                    ? $"no Python interpreter at {options.Python}: repro lint parses with Python's own ast module (give one with --python PATH)"
                    : $"no Python interpreter found: {options.Python} is not on PATH; repro lint parses with Python's own ast module (give one with --python PATH)");
            parsed = await PythonAstReader.ParseAsync(interpreter, units, cancellationToken);
        }

        var findings = new List<Finding>();
        foreach (var file in parsed.GroupBy(p => p.Source.Path, StringComparer.Ordinal))
        {
            findings.AddRange(Check(file.Key, file.ToList(), options));
        }

        return new LintReport
        {
            Files = files.Select(f => Display(f, baseDirectory)).ToList(),
            Findings = findings,
            Interpreter = interpreter,
            SettingsSource = options.Source,
        };
    }

    /// <summary>Checks one file (all its units), applying selection and suppressions.</summary>
    public static IReadOnlyList<Finding> Check(string path, IReadOnlyList<ParsedUnit> units, LintOptions options) => Check(path, units, options, Checks);

    /// <summary>Checks one file with <paramref name="checks"/>; a check that throws makes the file "not analysed", never the lint fail.</summary>
    public static IReadOnlyList<Finding> Check(string path, IReadOnlyList<ParsedUnit> units, LintOptions options, IReadOnlyList<ILintCheck> checks)
    {
        var found = new List<Finding>();
        foreach (var broken in units.Where(u => u.Tree is null))
        {
            found.Add(new Finding
            {
                RuleId = LintRules.Syntax.Id,
                Severity = LintRules.Syntax.DefaultSeverity,
                Message = $"{broken.SyntaxError} (nothing else in this {(broken.Source.Cell is null ? "file" : "cell")} was checked)",
                Path = path,
                Line = broken.ErrorLine,
                Column = broken.ErrorColumn,
                Cell = broken.Source.Cell,
            });
        }

        var trees = units.Where(u => u.Tree is not null).Select(u => u.Tree!).ToList();
        if (trees.Count > 0)
        {
            try
            {
                var context = new LintContext(path, trees);
                foreach (var check in checks)
                {
                    check.Check(context);
                }

                found.AddRange(context.Findings);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A fault in the analysis of one file never aborts the lint: it is named, with the
                // exception, and every other file is still checked.
                found.Add(new Finding
                {
                    RuleId = LintRules.NotAnalysed.Id,
                    Severity = LintRules.NotAnalysed.DefaultSeverity,
                    Message = $"not analysed: repro lint failed on this file ({ex.GetType().Name}: {ex.Message.Split('\n')[0]} at {FirstFrame(ex)}); please report it",
                    Path = path,
                });
            }
        }

        var comments = units.ToDictionary(u => u.Source.Cell ?? 0, u => u.Comments);
        return found
            .Where(f => options.Enabled(f.RuleId))
            .Where(f => !(f.Line is { } line && comments.TryGetValue(f.Cell ?? 0, out var c) && Suppression.Silences(c.GetValueOrDefault(line), f.RuleId)))
            .OrderBy(f => f.Cell ?? 0).ThenBy(f => f.Line ?? 0).ThenBy(f => f.Column ?? 0).ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ToList();
    }

    private static string FirstFrame(Exception ex) =>
        ex.StackTrace?.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).FirstOrDefault() ?? "unknown";

    private static List<string> Expand(IReadOnlyList<string> paths, string baseDirectory)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path, baseDirectory);
            if (File.Exists(full))
            {
                files.Add(full);
            }
            else if (Directory.Exists(full))
            {
                files.AddRange(Walk(full).Order(StringComparer.Ordinal));
            }
            else
            {
                throw ReproException.Usage($"no such file or folder: {path}");
            }
        }

        return files.Distinct(StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<string> Walk(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            if (file.EndsWith(".py", StringComparison.Ordinal) || file.EndsWith(".ipynb", StringComparison.Ordinal))
            {
                yield return file;
            }
        }

        foreach (var child in Directory.EnumerateDirectories(directory))
        {
            var name = Path.GetFileName(child);
            if (name.StartsWith('.') || SkippedDirectories.Contains(name))
            {
                continue;
            }

            foreach (var file in Walk(child))
            {
                yield return file;
            }
        }
    }

    private static string Display(string full, string baseDirectory) => Path.GetRelativePath(baseDirectory, full).Replace('\\', '/');
}
