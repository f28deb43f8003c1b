namespace Repro.Evidence.Reports;

/// <summary>The three forms of a report: HTML to read and print, Markdown for a pull request or an appendix, JSON for machines.</summary>
public enum ReportFormat
{
    Html,
    Markdown,
    Json,
}
