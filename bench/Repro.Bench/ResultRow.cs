using System.Globalization;
using System.Text;

namespace Repro.Bench;

/// <summary>One line of the results table. <see cref="Ratio"/> is peer time / repro time: above 1, repro is faster.</summary>
public sealed record ResultRow(string Benchmark, string Repro, string Peer, double? Ratio, string Target, bool? Met)
{
    private static readonly string[] Header = ["benchmark", "repro", "peer", "ratio", "target", "met?"];

    public static string ToMarkdown(IReadOnlyList<ResultRow> rows)
    {
        var cells = rows.Select(r => new[]
        {
            r.Benchmark,
            r.Repro,
            r.Peer,
            r.Ratio is { } ratio ? string.Create(CultureInfo.InvariantCulture, $"{ratio:0.00}x") : "-",
            r.Target,
            r.Met switch { true => "yes", false => "**no**", null => "-" },
        }.Select(Escape).ToArray()).ToList();
        var widths = Enumerable.Range(0, Header.Length).Select(i => cells.Select(c => c[i].Length).Append(Header[i].Length).Max()).ToArray();

        var text = new StringBuilder();
        AppendLine(text, Header, widths);
        AppendLine(text, widths.Select(w => new string('-', w)).ToArray(), widths);
        foreach (var line in cells)
        {
            AppendLine(text, line, widths);
        }

        return text.ToString();
    }

    /// <summary>A '|' in a cell would end it.</summary>
    private static string Escape(string cell) => cell.Replace("|", "\\|", StringComparison.Ordinal);

    private static void AppendLine(StringBuilder text, string[] cells, int[] widths)
    {
        text.Append('|');
        for (var i = 0; i < cells.Length; i++)
        {
            text.Append(' ').Append(cells[i].PadRight(widths[i])).Append(" |");
        }

        text.Append('\n');
    }
}
