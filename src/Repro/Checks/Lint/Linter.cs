using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;
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

    // The checks walk syntax trees recursively; the parser helper stops at 1,000 levels, which this covers with room to spare.
    private const int AnalysisStackBytes = 64 * 1024 * 1024;

    public static IReadOnlyList<ILintCheck> Checks { get; } = [DeterminismCheck.Instance, LeakageCheck.Instance];

    /// <summary>The rules a run with <paramref name="options"/> reports, in catalogue order.</summary>
    public static IReadOnlyList<RuleDescriptor> Rules(LintOptions options) => LintRules.All.Where(r => options.Enabled(r.Id)).ToList();

    public static async Task<LintReport> LintAsync(IReadOnlyList<string> paths, string baseDirectory, LintOptions options, string? pathVariable, CancellationToken cancellationToken)
    {
        var files = Expand(paths, baseDirectory);
        var units = new List<SourceUnit>();
        var unread = new List<Finding>();
        foreach (var file in files)
        {
            var display = Display(file, baseDirectory);
            var notebook = file.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase);
            byte[] bytes;
            try
            {
                var limit = notebook ? NotebookLimits.MaxBytes : TextLimits.MaxFileBytes;
                var length = new FileInfo(file).Length;
                if (length > limit.Value)
                {
                    unread.Add(NotAnalysedFinding(display, null, string.Create(CultureInfo.InvariantCulture, $"{length} bytes, over the limit of {limit.Value} {limit.Unit} for a {(notebook ? "notebook" : "script")}; set {limit.Variable}=N to raise it (docs/limits.md)")));
                    continue;
                }

                bytes = await File.ReadAllBytesAsync(file, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw ReproException.Usage($"cannot read {display}: {ex.Message}");
            }

            if (notebook)
            {
                try
                {
                    units.AddRange(NotebookReader.Read(display, BoundedFile.Text(bytes, display)));
                }
                catch (Exception ex) when (ex is ReproException or BadInputException)
                {
                    // A broken notebook (cut short, not nbformat) is one finding; every other file is still checked.
                    unread.Add(new Finding
                    {
                        RuleId = LintRules.Syntax.Id,
                        Severity = LintRules.Syntax.DefaultSeverity,
                        Message = $"{(ex.Message.StartsWith(display + ": ", StringComparison.Ordinal) ? ex.Message[(display.Length + 2)..] : ex.Message)} (nothing in this notebook was checked)",
                        Path = display,
                    });
                }
            }
            else
            {
                // The interpreter decodes a script's bytes itself: its BOM or coding cookie decides.
                units.Add(new SourceUnit { Path = display, Text = Encoding.UTF8.GetString(bytes), Bytes = bytes });
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

        var findings = new List<Finding>(unread.Where(f => options.Enabled(f.RuleId)));
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

    /// <summary>
    /// Checks one file with <paramref name="checks"/>. A fault never fails the lint: a unit that
    /// cannot be analysed, or a check that throws, makes the file (or, in a notebook, the one cell
    /// that faults) "not analysed", and everything else is still checked.
    /// </summary>
    public static IReadOnlyList<Finding> Check(string path, IReadOnlyList<ParsedUnit> units, LintOptions options, IReadOnlyList<ILintCheck> checks)
    {
        var found = new List<Finding>();
        foreach (var broken in units.Where(u => u.Tree is null && u.NotAnalysed is null))
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

        foreach (var skipped in units.Where(u => u.NotAnalysed is not null))
        {
            found.Add(NotAnalysedFinding(path, skipped.Source.Cell, skipped.NotAnalysed!));
        }

        var trees = units.Where(u => u.Tree is not null).Select(u => u.Tree!).ToList();
        if (trees.Count > 0)
        {
            found.AddRange(OnLargeStack(() => Analyse(path, trees, checks)));
        }

        var comments = units.GroupBy(u => u.Source.Cell ?? 0).ToDictionary(g => g.Key, g => g.First().Comments);
        return found
            .Where(f => options.Enabled(f.RuleId))
            .Where(f => !(f.Line is { } line && comments.TryGetValue(f.Cell ?? 0, out var c) && Suppression.Silences(c.GetValueOrDefault(line), f.RuleId)))
            .OrderBy(f => f.Cell ?? 0).ThenBy(f => f.Line ?? 0).ThenBy(f => f.Column ?? 0).ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ToList();
    }

    // The whole program first; when it faults and is a notebook, cells are added one at a time and
    // a cell whose addition faults is named and left out, so the other cells are still one program.
    private static List<Finding> Analyse(string path, List<PyNode> trees, IReadOnlyList<ILintCheck> checks)
    {
        var fault = TryAnalyse(path, trees, checks, out var findings);
        if (fault is null)
        {
            return findings;
        }

        if (trees.Count == 1 || trees[0].Cell is null)
        {
            var cell = trees.Count == 1 ? trees[0].Cell : null;
            return [NotAnalysedFinding(path, cell, Describe(fault, cell is null ? "this file" : "this cell"))];
        }

        var kept = new List<PyNode>();
        var skipped = new List<Finding>();
        foreach (var tree in trees)
        {
            kept.Add(tree);
            if (TryAnalyse(path, kept, checks, out _) is { } cellFault)
            {
                kept.RemoveAt(kept.Count - 1);
                skipped.Add(NotAnalysedFinding(path, tree.Cell, Describe(cellFault, "this cell") + "; the other cells were checked without it"));
            }
        }

        if (kept.Count > 0 && TryAnalyse(path, kept, checks, out findings) is null)
        {
            skipped.AddRange(findings);
        }

        return skipped;
    }

    private static Exception? TryAnalyse(string path, List<PyNode> trees, IReadOnlyList<ILintCheck> checks, out List<Finding> findings)
    {
        findings = [];
        try
        {
            var context = new LintContext(path, trees);
            foreach (var check in checks)
            {
                check.Check(context);
            }

            findings = [.. context.Findings];
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return ex;
        }
    }

    private static T OnLargeStack<T>(Func<T> work)
    {
        T result = default!;
        ExceptionDispatchInfo? error = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    result = work();
                }
                catch (Exception ex)
                {
                    error = ExceptionDispatchInfo.Capture(ex);
                }
            },
            AnalysisStackBytes);
        thread.Start();
        thread.Join();
        error?.Throw();
        return result;
    }

    private static string Describe(Exception ex, string what) =>
        $"repro lint failed on {what} ({ex.GetType().Name}: {ex.Message.Split('\n')[0]} at {FirstFrame(ex)}); please report it";

    private static Finding NotAnalysedFinding(string path, int? cell, string reason) => new()
    {
        RuleId = LintRules.NotAnalysed.Id,
        Severity = LintRules.NotAnalysed.DefaultSeverity,
        Message = $"not analysed: {reason}",
        Path = path,
        Cell = cell,
    };

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
                throw ReproException.NotFound($"no such file or folder: {path}");
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
