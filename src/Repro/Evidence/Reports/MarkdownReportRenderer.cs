using System.Text;
using static Repro.Evidence.Reports.ReportText;

namespace Repro.Evidence.Reports;

/// <summary>
/// The report as GitHub-flavoured Markdown for a pull request or a paper's appendix: the same
/// sections and tables as the HTML report; charts are named, not drawn.
/// </summary>
public static class MarkdownReportRenderer
{
    public static string Render(ReportData data)
    {
        var md = new StringBuilder();
        md.Append("# ").Append(data.Title).Append("\n\n");
        foreach (var section in ReportLayout.Sections(data))
        {
            md.Append("## ").Append(section.Title).Append("\n\n");
            foreach (var block in section.Blocks)
            {
                switch (block)
                {
                    case ReportBlock.Paragraph p:
                        md.Append(p.Text).Append("\n\n");
                        break;
                    case ReportBlock.Subheading h:
                        md.Append("### ").Append(h.Text).Append("\n\n");
                        break;
                    case ReportBlock.List l:
                        for (var i = 0; i < l.Items.Count; i++)
                        {
                            md.Append(l.Ordered ? string.Create(Invariant, $"{i + 1}. ") : "- ").Append(l.Items[i]).Append('\n');
                        }

                        md.Append('\n');
                        break;
                    case ReportBlock.Facts f:
                        Row(md, ["", ""]);
                        md.Append("|---|---|\n");
                        foreach (var (key, value) in f.Pairs)
                        {
                            Row(md, ["**" + key + "**", value]);
                        }

                        md.Append('\n');
                        break;
                    case ReportBlock.Table t:
                        Row(md, t.Headers);
                        md.Append('|').Append(string.Concat(t.Headers.Select(_ => "---|"))).Append('\n');
                        foreach (var row in t.Rows)
                        {
                            Row(md, row.Select((cell, i) => t.CodeColumns.Contains(i) && cell != "–" && cell.Length > 0 ? $"`{cell.Replace("`", "'", StringComparison.Ordinal)}`" : cell).ToList());
                        }

                        md.Append('\n');
                        break;
                    case ReportBlock.Chart c:
                        md.Append("*Chart (in the HTML report): ").Append(c.Caption).Append(".*\n\n");
                        break;
                }
            }
        }

        md.Append("Report made ").Append(Time(data.CreatedAt)).Append('\n');
        return md.ToString();
    }

    private static void Row(StringBuilder md, IReadOnlyList<string> cells)
    {
        md.Append('|');
        foreach (var cell in cells)
        {
            md.Append(' ').Append(Cell(cell)).Append(" |");
        }

        md.Append('\n');
    }
}
