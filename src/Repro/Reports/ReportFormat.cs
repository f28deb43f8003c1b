namespace Repro.Reports;

public enum ReportFormat
{
    Html,
    Markdown,
    Json,
}
