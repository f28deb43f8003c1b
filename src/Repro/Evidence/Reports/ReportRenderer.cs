namespace Repro.Evidence.Reports;

/// <summary>Picks the renderer for a format, and the format for a file name.</summary>
public static class ReportRenderer
{
    public static string Render(ReportData data, ReportFormat format) => format switch
    {
        ReportFormat.Markdown => MarkdownReportRenderer.Render(data),
        ReportFormat.Json => JsonReportRenderer.Render(data),
        _ => HtmlReportRenderer.Render(data),
    };

    /// <summary>The format named by --format, else by the output file's extension, else HTML.</summary>
    public static ReportFormat Choose(string? format, string? path) => format?.ToLowerInvariant() switch
    {
        "html" => ReportFormat.Html,
        "md" or "markdown" => ReportFormat.Markdown,
        "json" => ReportFormat.Json,
        null => Path.GetExtension(path ?? string.Empty).ToLowerInvariant() switch
        {
            ".md" or ".markdown" => ReportFormat.Markdown,
            ".json" => ReportFormat.Json,
            _ => ReportFormat.Html,
        },
        _ => throw ReproException.Usage($"unknown report format '{format}': use html, md or json"),
    };
}
