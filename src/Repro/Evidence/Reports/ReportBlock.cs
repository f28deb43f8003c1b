namespace Repro.Evidence.Reports;

/// <summary>
/// One piece of a report's content, independent of format, so the HTML and Markdown forms show
/// the same things: a paragraph, a list, a table, a key/value table, or a chart (HTML only).
/// </summary>
public abstract record ReportBlock
{
    private ReportBlock()
    {
    }

    public sealed record Paragraph(string Text) : ReportBlock;

    public sealed record Subheading(string Text) : ReportBlock;

    public sealed record List(IReadOnlyList<string> Items, bool Ordered) : ReportBlock;

    /// <summary>A table; columns named in <paramref name="CodeColumns"/> hold hashes or paths shown in a fixed-width font.</summary>
    public sealed record Table(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows, IReadOnlySet<int> CodeColumns) : ReportBlock;

    public sealed record Facts(IReadOnlyList<(string Key, string Value)> Pairs) : ReportBlock;

    /// <summary>An inline SVG drawn by <see cref="SvgChart"/>; Markdown shows the caption only.</summary>
    public sealed record Chart(string Caption, string Svg) : ReportBlock;
}
