using System.Globalization;

namespace Repro.Model.Findings;

/// <summary>Findings as text lines editors jump to: <c>path:line:col: RULE message</c> (gcc style).</summary>
public static class FindingText
{
    public static string Gcc(Finding finding)
    {
        var where = finding.Path ?? "-";
        if (finding.Cell is { } cell)
        {
            where += string.Create(CultureInfo.InvariantCulture, $"[cell {cell}]");
        }

        if (finding.Line is { } line)
        {
            where += string.Create(CultureInfo.InvariantCulture, $":{line}");
            if (finding.Column is { } column)
            {
                where += string.Create(CultureInfo.InvariantCulture, $":{column}");
            }
        }

        var taxonomy = finding.Taxonomy is null || finding.Taxonomy == finding.RuleId ? string.Empty : $" [{finding.Taxonomy}]";
        return $"{where}: {finding.RuleId} {finding.Message}{taxonomy}{Flow(finding)}";
    }

    /// <summary>The path behind a finding on the same line, so one finding stays one line: " (path: 8:5 … → 9:37 …)".</summary>
    private static string Flow(Finding finding)
    {
        if (finding.Flow.Count == 0)
        {
            return string.Empty;
        }

        var steps = finding.Flow.Select(step =>
        {
            var at = step.Cell is { } cell ? string.Create(CultureInfo.InvariantCulture, $"cell {cell} ") : string.Empty;
            if (step.Path is not null && step.Path != finding.Path)
            {
                at = $"{step.Path} " + at;
            }

            return string.Create(CultureInfo.InvariantCulture, $"{at}{step.Line}:{step.Column} {step.Note}");
        });
        return $" (path: {string.Join(" → ", steps)})";
    }
}
