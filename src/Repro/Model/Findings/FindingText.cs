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
        return $"{where}: {finding.RuleId} {finding.Message}{taxonomy}";
    }
}
