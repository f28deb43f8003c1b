using System.Text;
using static Repro.Evidence.Reports.ReportText;

namespace Repro.Evidence.Reports;

/// <summary>
/// One self-contained HTML file: inline CSS and SVG only (no script, font or external file),
/// readable on a phone (tables scroll sideways) and printed (no backgrounds needed, sections
/// kept together). The creation time is on a line of its own.
/// </summary>
public static class HtmlReportRenderer
{
    private const string Style = """
        :root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--ok:#1a7f37;--bad:#cf222e;--part:#9a6700;--accent:#0969da}
        *{box-sizing:border-box}
        body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--fg);margin:0 auto;padding:16px;max-width:1100px}
        h1{font-size:1.6em;margin:.2em 0 .4em}
        h2{font-size:1.25em;border-bottom:1px solid var(--line);padding-bottom:.2em;margin-top:1.6em}
        h3{font-size:1.05em;margin:1.2em 0 .4em}
        nav{font-size:.9em;color:var(--muted)}
        nav a{color:var(--accent);margin-right:.8em;text-decoration:none}
        .scroll{overflow-x:auto;margin:.4em 0 1em}
        table{border-collapse:collapse;width:100%;font-size:.92em}
        th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
        th{background:#f6f8fa}
        table.facts th{width:14em;white-space:nowrap}
        code,.code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em;word-break:break-all}
        .yes,.identical,.equivalent{color:var(--ok);font-weight:600}
        .no,.diverged,.failed,.unverified{color:var(--bad);font-weight:600}
        .partial{color:var(--part);font-weight:600}
        figure{margin:.6em 0 1.2em}
        figcaption{font-size:.85em;color:var(--muted)}
        svg.chart{width:100%;max-width:560px;height:auto;display:block}
        svg .axis{stroke:#8c959f;stroke-width:1}
        svg .tick{font-size:10px;fill:#57606a}
        svg .line{stroke:var(--accent);stroke-width:2}
        svg .dot{fill:var(--accent);fill-opacity:.75}
        svg .band{fill:var(--accent);fill-opacity:.12}
        svg .mean{stroke:var(--fg);stroke-width:2}
        svg .ci{stroke:var(--bad);stroke-width:2;fill:none}
        svg .bar.ok{fill:var(--ok)}
        svg .bar.bad{fill:var(--bad)}
        svg .limit{stroke:var(--bad);stroke-dasharray:4 3}
        footer{margin-top:2em;font-size:.85em;color:var(--muted)}
        @media (max-width:600px){body{padding:8px;font-size:14px}table.facts th{width:auto;white-space:normal}}
        @media print{body{max-width:none;padding:0;font-size:11pt}nav{display:none}h2{break-after:avoid}figure,tr{break-inside:avoid}th{background:none}}
        """;

    public static string Render(ReportData data)
    {
        var sections = ReportLayout.Sections(data);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append("<meta name=\"generator\" content=\"").Append(Html(data.Generator)).Append("\">\n");
        html.Append("<title>").Append(Html(data.Title)).Append(" · repro report</title>\n");
        html.Append("<style>\n").Append(Style).Append("\n</style>\n</head>\n<body>\n");
        html.Append("<header>\n<h1>").Append(Html(data.Title)).Append("</h1>\n<nav>");
        foreach (var section in sections)
        {
            html.Append("<a href=\"#").Append(section.Id).Append("\">").Append(Html(section.Title)).Append("</a>");
        }

        html.Append("</nav>\n</header>\n<main>\n");
        foreach (var section in sections.Where(s => s.Id != "records"))
        {
            Section(html, section);
        }

        html.Append("</main>\n<footer>\n");
        Section(html, sections.Single(s => s.Id == "records"));
        html.Append("<p class=\"made\">Report made <time datetime=\"").Append(IsoTime(data.CreatedAt)).Append("\">").Append(Time(data.CreatedAt)).Append("</time></p>\n");
        html.Append("</footer>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void Section(StringBuilder html, ReportSection section)
    {
        html.Append("<section id=\"").Append(section.Id).Append("\">\n<h2>").Append(Html(section.Title)).Append("</h2>\n");
        foreach (var block in section.Blocks)
        {
            switch (block)
            {
                case ReportBlock.Paragraph p:
                    html.Append("<p>").Append(Inline(p.Text)).Append("</p>\n");
                    break;
                case ReportBlock.Subheading h:
                    html.Append("<h3>").Append(Html(h.Text)).Append("</h3>\n");
                    break;
                case ReportBlock.List l:
                    var tag = l.Ordered ? "ol" : "ul";
                    html.Append('<').Append(tag).Append(">\n");
                    foreach (var item in l.Items)
                    {
                        html.Append("<li>").Append(Inline(item)).Append("</li>\n");
                    }

                    html.Append("</").Append(tag).Append(">\n");
                    break;
                case ReportBlock.Facts f:
                    html.Append("<div class=\"scroll\"><table class=\"facts\">\n");
                    foreach (var (key, value) in f.Pairs)
                    {
                        html.Append("<tr><th>").Append(Html(key)).Append("</th><td>").Append(Html(value)).Append("</td></tr>\n");
                    }

                    html.Append("</table></div>\n");
                    break;
                case ReportBlock.Table t:
                    html.Append("<div class=\"scroll\"><table>\n<tr>");
                    foreach (var header in t.Headers)
                    {
                        html.Append("<th>").Append(Html(header)).Append("</th>");
                    }

                    html.Append("</tr>\n");
                    foreach (var row in t.Rows)
                    {
                        html.Append("<tr>");
                        for (var i = 0; i < row.Count; i++)
                        {
                            var css = t.CodeColumns.Contains(i) ? "code" : StatusClass(row[i]);
                            html.Append(css is null ? "<td>" : $"<td class=\"{css}\">").Append(css == "code" ? Html(row[i]) : Inline(row[i])).Append("</td>");
                        }

                        html.Append("</tr>\n");
                    }

                    html.Append("</table></div>\n");
                    break;
                case ReportBlock.Chart c:
                    html.Append("<figure>\n").Append(c.Svg).Append("<figcaption>").Append(Html(c.Caption)).Append("</figcaption>\n</figure>\n");
                    break;
            }
        }

        html.Append("</section>\n");
    }

    private static string? StatusClass(string text) => text switch
    {
        "Yes" or "IDENTICAL" => text == "Yes" ? "yes" : "identical",
        "No" => "no",
        "Partial" => "partial",
        "EQUIVALENT" => "equivalent",
        "DIVERGED" => "diverged",
        "FAILED" => "failed",
        "UNVERIFIED" => "unverified",
        _ => null,
    };

    /// <summary>Escapes text and shows `backticked` parts as code.</summary>
    private static string Inline(string text)
    {
        var parts = text.Split('`');
        var builder = new StringBuilder();
        for (var i = 0; i < parts.Length; i++)
        {
            builder.Append(i % 2 == 0 ? Html(parts[i]) : i < parts.Length - 1 ? $"<code>{Html(parts[i])}</code>" : "`" + Html(parts[i]));
        }

        return builder.ToString();
    }
}
