using System.Globalization;
using Repro.Checks.Leakage;
using Repro.Model.Findings;

namespace Repro.Cli.Rendering;

/// <summary>The readable form of a leak report: one block per finding (code, message, where, examples), then what was compared.</summary>
public static class LeakRenderer
{
    public static void Render(TextWriter output, LeakReport report)
    {
        var summary = report.Summary;
        foreach (var finding in report.Findings)
        {
            var where = finding.Path is null ? string.Empty : finding.Line is { } line ? string.Create(CultureInfo.InvariantCulture, $"  ({finding.Path}:{line})") : $"  ({finding.Path})";
            output.WriteLine($"{finding.RuleId} {SarifWriter.Level(finding.Severity)}: {finding.Message}{where}");
            foreach (var example in finding.Examples)
            {
                output.WriteLine($"    {example}");
            }

            output.WriteLine();
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"train {summary.Train.Path}: {summary.Train.Rows} rows; test {summary.Test.Path}: {summary.Test.Rows} rows; {summary.Columns.Count} columns (separator {Separator(summary.Train.Separator)}{(summary.Test.Separator == summary.Train.Separator ? string.Empty : $" and {Separator(summary.Test.Separator)}")})"));
        output.WriteLine($"duplicates compared on: {List(summary.ComparedColumns)}");
        if (summary.Shift.Count > 0)
        {
            output.WriteLine("largest shifts train → test: " + string.Join(", ", summary.Shift.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Column} {s.Statistic} {s.Value:0.###}{(s.Flagged ? " (flagged)" : string.Empty)}"))));
        }

        if (summary.Target is not null && summary.Proxies.Count > 0)
        {
            output.WriteLine($"strongest single features for '{summary.Target}' on train: " + string.Join(", ", summary.Proxies.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Column} {p.Statistic} {p.Value:0.###}{(p.Flagged ? " (flagged)" : string.Empty)}"))));
        }

        foreach (var note in summary.Notes)
        {
            output.WriteLine($"note: {note}");
        }

        var errors = report.Findings.Count(f => f.Severity == Severity.Error);
        var warnings = report.Findings.Count(f => f.Severity == Severity.Warning);
        var notes = report.Findings.Count(f => f.Severity == Severity.Note);
        output.WriteLine(report.Findings.Count == 0
            ? "no leakage found"
            : string.Create(CultureInfo.InvariantCulture, $"{errors} error{Plural(errors)}, {warnings} warning{Plural(warnings)}, {notes} note{Plural(notes)}"));
    }

    private static string Separator(string separator) => separator == "tab" ? "tab" : $"'{separator}'";

    private static string List(IReadOnlyList<string> columns) => columns.Count == 0 ? "(none)" : string.Join(", ", columns);

    private static string Plural(int count) => count == 1 ? string.Empty : "s";
}
