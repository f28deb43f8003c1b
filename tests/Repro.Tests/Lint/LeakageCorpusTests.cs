using System.Diagnostics;
using System.Globalization;
using System.Text;
using Repro.Checks.Lint;
using Repro.Model.Findings;
using Xunit.Abstractions;

namespace Repro.Tests.Lint;

/// <summary>
/// Issue 21, part 4: `repro lint` against a corpus of real public notebooks and scripts labelled by
/// hand, per kind of leakage of Yang et al. (ASE 2022, "Data Leakage in Notebooks: Static
/// Detection and Better Processes"). tests/Corpus/leakage/SOURCES names each file's repository,
/// commit, path and licence; LABELS says, for each file and kind, whether it leaks (read off the
/// code, never off what repro reports). The files themselves are not in the repository (see
/// tests/Corpus/leakage/README.md): they are looked for in tests/Corpus/leakage/files or in the
/// folder named by REPRO_LEAK_CORPUS, and the measurement is skipped, saying so, when absent.
/// </summary>
public sealed class LeakageCorpusTests(ITestOutputHelper output)
{
    /// <summary>
    /// Which lint rules stand for which kind (docs/checks.md). LEAK001 (a scaler, imputer, encoder,
    /// PCA or a statistic learned on rows not yet split) and LEAK002 (feature selection before the
    /// split) are pre-processing leakage; LEAK003 (over-sampling before the split) is overlap
    /// leakage; LEAK004 (the test split scored for several models or settings, searched on, or
    /// watched for early stopping) is multi-test leakage. LEAK005 (scored only on the training
    /// data) is none of the three and is not counted.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> KindOfRule = new Dictionary<string, string>
    {
        ["LEAK001"] = "preprocessing",
        ["LEAK002"] = "preprocessing",
        ["LEAK003"] = "overlap",
        ["LEAK004"] = "multitest",
    };

    public static readonly IReadOnlyList<string> Kinds = ["preprocessing", "overlap", "multitest"];

    /// <summary>
    /// The bar per kind. Issue 21's target is 0.95 for precision and recall of every kind; these are
    /// today's measured figures rounded down to 0.05, a ratchet: raise them as the analysis improves,
    /// never lower them. A kind with no labelled leak (or no finding) has no figure and is not held to a bar.
    /// </summary>
    private static readonly Dictionary<string, (double Precision, double Recall)> Bar = new()
    {
        // Measured on 152 files: TP 29, FP 1, FN 0 (precision 0.967, recall 1.000).
        ["preprocessing"] = (0.95, 1.00),
        // Measured on 152 files: TP 2, FP 0, FN 0 (two calibrators or post-processors fitted on the test split).
        ["overlap"] = (1.00, 1.00),
        // Measured on 152 files: TP 52, FP 1, FN 0 (precision 0.981, recall 1.000).
        ["multitest"] = (0.95, 1.00),
    };

    private static readonly HashSet<string> Licences = ["MIT", "BSD-2-Clause", "BSD-3-Clause", "Apache-2.0", "CC-BY-4.0", "CC0-1.0", "Unlicense"];

    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Corpus", "leakage");

    internal sealed record Source(string File, string Repository, string Commit, string PathInRepository, string Licence);

    internal sealed record Label(string File, string Kind, bool Leaks, string Lines, string Reason);

    internal static IReadOnlyList<string[]> Table(string name) =>
        File.ReadAllLines(Path.Combine(Root, name))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('\t'))
            .ToList();

    internal static IReadOnlyList<Source> Sources() =>
        Table("SOURCES").Select(r => r.Length == 5 ? new Source(r[0], r[1], r[2], r[3], r[4]) : throw new FormatException("SOURCES: five tab-separated fields a line: " + string.Join('\t', r))).ToList();

    internal static IReadOnlyList<Label> Labels() =>
        Table("LABELS").Select(r => r.Length == 5 && r[2] is "yes" or "no"
            ? new Label(r[0], r[1], r[2] == "yes", r[3], r[4])
            : throw new FormatException("LABELS: file, kind, yes/no, lines, reason: " + string.Join('\t', r))).ToList();

    [Fact]
    public void Every_corpus_file_has_a_source_with_a_permissive_licence_and_one_label_per_kind()
    {
        var sources = Sources();
        var labels = Labels();
        Assert.True(sources.Count >= 100, $"{sources.Count} files in SOURCES; the issue asks for at least 100");
        Assert.Equal(sources.Count, sources.Select(s => s.File).Distinct(StringComparer.Ordinal).Count());
        foreach (var source in sources)
        {
            Assert.True(Licences.Contains(source.Licence), $"{source.File}: licence {source.Licence} is not one that allows redistribution");
            Assert.Matches("^[0-9a-f]{40}$", source.Commit);
            Assert.Matches("^[^/]+/[^/]+$", source.Repository);
            Assert.True(source.File.EndsWith(".py", StringComparison.Ordinal) || source.File.EndsWith(".ipynb", StringComparison.Ordinal), source.File);
            var kinds = labels.Where(l => l.File == source.File).Select(l => l.Kind).Order(StringComparer.Ordinal).ToList();
            Assert.True(kinds.SequenceEqual(Kinds.Order(StringComparer.Ordinal)), $"{source.File}: labels for {string.Join(", ", kinds)}; one for each of {string.Join(", ", Kinds)} is needed");
        }

        var unknown = labels.Select(l => l.File).Except(sources.Select(s => s.File), StringComparer.Ordinal).ToList();
        Assert.True(unknown.Count == 0, "labelled but not in SOURCES: " + string.Join(", ", unknown));
        foreach (var label in labels.Where(l => l.Leaks))
        {
            Assert.False(string.IsNullOrWhiteSpace(label.Lines), $"{label.File} {label.Kind}: a leak names its lines");
        }
    }

    [Fact]
    public async Task Lint_finds_the_labelled_leaks_of_the_corpus_per_kind()
    {
        var folder = Environment.GetEnvironmentVariable("REPRO_LEAK_CORPUS") is { Length: > 0 } env ? env : Path.Combine(Root, "files");
        var sources = Sources();
        if (!Directory.Exists(folder) || !Directory.EnumerateFiles(folder).Any())
        {
            output.WriteLine($"corpus files absent from {folder}: nothing measured (tests/Corpus/leakage/README.md says how to bring them)");
            return;
        }

        var missing = sources.Where(s => !File.Exists(Path.Combine(folder, s.File))).Select(s => s.File).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} corpus files missing from {folder}: " + string.Join(", ", missing.Take(10)));

        var files = sources.Select(s => s.File).ToList();
        var lines = files.Sum(f => CodeLines(Path.Combine(folder, f)));
        var bytes = files.Sum(f => new FileInfo(Path.Combine(folder, f)).Length);
        var started = Stopwatch.GetTimestamp();
        var report = await Linter.LintAsync(files, folder, LintHarness.Options, Environment.GetEnvironmentVariable("PATH"), CancellationToken.None);
        var elapsed = Stopwatch.GetElapsedTime(started);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"corpus: {files.Count} files ({files.Count(f => f.EndsWith(".ipynb", StringComparison.Ordinal))} notebooks, {files.Count(f => f.EndsWith(".py", StringComparison.Ordinal))} scripts), {lines} lines of code, {bytes / 1024} KiB; linted in {elapsed.TotalSeconds:F2} s ({report.Findings.Count} findings)"));

        var faults = report.Findings.Where(f => f.RuleId is "INTERNAL" or "SYNTAX").Select(FindingText.Gcc).ToList();
        foreach (var fault in faults)
        {
            output.WriteLine("not analysed: " + fault);
        }

        var labels = Labels().ToDictionary(l => (l.File, l.Kind));
        var findings = report.Findings.Where(f => f.Path is not null && KindOfRule.ContainsKey(f.RuleId)).ToLookup(f => (f.Path!, KindOfRule[f.RuleId]));
        var failures = new List<string>();
        var table = new StringBuilder();
        foreach (var kind in Kinds)
        {
            int tp = 0, fp = 0, fn = 0, tn = 0;
            var misses = new StringBuilder();
            foreach (var file in files)
            {
                var label = labels[(file, kind)];
                var found = findings[(file, kind)].ToList();
                switch (label.Leaks, found.Count > 0)
                {
                    case (true, true):
                        tp++;
                        break;
                    case (true, false):
                        fn++;
                        misses.AppendLine($"  missed {kind}: {file} ({label.Lines}): {label.Reason}");
                        break;
                    case (false, true):
                        fp++;
                        misses.AppendLine($"  false {kind}: {file}: {string.Join(" | ", found.Select(f => $"[cell {f.Cell}]:{f.Line} {f.RuleId}"))} (label: {label.Reason})");
                        break;
                    default:
                        tn++;
                        break;
                }
            }

            double? precision = tp + fp == 0 ? null : (double)tp / (tp + fp);
            double? recall = tp + fn == 0 ? null : (double)tp / (tp + fn);
            table.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{kind,-14} leaking {tp + fn,3}  TP {tp,3}  FP {fp,3}  FN {fn,3}  TN {tn,3}  precision {Figure(precision)}  recall {Figure(recall)}  (bar {Bar[kind].Precision:F2} / {Bar[kind].Recall:F2})"));
            table.Append(misses);
            if (precision < Bar[kind].Precision || recall < Bar[kind].Recall)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{kind}: precision {Figure(precision)}, recall {Figure(recall)} below the bar {Bar[kind].Precision:F2} / {Bar[kind].Recall:F2}"));
            }
        }

        output.WriteLine(table.ToString());
        var untracked = report.Findings.Where(f => f.RuleId == "LEAK005").Select(FindingText.Gcc).ToList();
        output.WriteLine($"LEAK005 (scored on the training data only; none of the three kinds): {untracked.Count}");
        Assert.True(failures.Count == 0, string.Join('\n', failures) + "\n" + table);
    }

    private static string Figure(double? value) => value is { } v ? v.ToString("F3", CultureInfo.InvariantCulture) : "  -  ";

    /// <summary>Lines of a script, or of a notebook's code cells (what is linted).</summary>
    private static int CodeLines(string path)
    {
        if (!path.EndsWith(".ipynb", StringComparison.Ordinal))
        {
            return File.ReadAllLines(path).Length;
        }

        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(path));
        var count = 0;
        foreach (var cell in document.RootElement.GetProperty("cells").EnumerateArray())
        {
            if (cell.GetProperty("cell_type").GetString() != "code")
            {
                continue;
            }

            var source = cell.GetProperty("source");
            var text = source.ValueKind == System.Text.Json.JsonValueKind.Array ? string.Concat(source.EnumerateArray().Select(s => s.GetString())) : source.GetString() ?? string.Empty;
            count += text.Length == 0 ? 0 : text.TrimEnd('\n').Split('\n').Length;
        }

        return count;
    }
}
