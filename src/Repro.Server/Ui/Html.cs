using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Repro.Model;
using Repro.Model.Verdicts;

namespace Repro.Server.Ui;

/// <summary>
/// The few ways a page turns a value into HTML. Everything that came from a run, a user or a
/// query string passes through <see cref="E"/>, so a run named <c>&lt;script&gt;</c> is text.
/// </summary>
internal static class Html
{
    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? string.Empty);

    public static string Num(double? value) => value switch
    {
        null => "–",
        { } v when double.IsNaN(v) => "NaN",
        { } v => v.ToString("G6", CultureInfo.InvariantCulture),
    };

    public static string Full(double? value) => value?.ToString("G10", CultureInfo.InvariantCulture) ?? "–";

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Seconds(double seconds) => string.Create(CultureInfo.InvariantCulture, $"{seconds:0.00} s");

    public static string Bytes(long? bytes) => bytes is { } b ? string.Create(CultureInfo.InvariantCulture, $"{b:N0} B") : "–";

    /// <summary>The first 12 hex digits of a hash, the whole of it in a tooltip.</summary>
    public static string Hash(string? sha256) => sha256 is null
        ? "<span class=\"muted\">–</span>"
        : $"<code title=\"{E(sha256)}\">{E(sha256.Length > 12 ? sha256[..12] : sha256)}</code>";

    public static string Status(RunStatus status) => status switch
    {
        RunStatus.Ok => "<span class=\"ok\">ok</span>",
        RunStatus.Failed => "<span class=\"failed\">failed</span>",
        _ => $"<span class=\"partial\">{E(status.ToString().ToLowerInvariant())}</span>",
    };

    public static string Verdict(Verdict verdict)
    {
        var name = verdict.ToString().ToLowerInvariant();
        return $"<span class=\"{name}\">{name.ToUpperInvariant()}</span>";
    }

    public static string ShortId(string id) => id.Length > 8 ? id[..8] : id;

    public static string RunLink(string id, string? name = null) =>
        $"<a href=\"/runs/{Uri.EscapeDataString(id)}\"><code>{E(ShortId(id))}</code></a>{(name is null ? string.Empty : " " + E(name))}";

    /// <summary>A path with its query, each value escaped; null or empty values are left out.</summary>
    public static string Url(string path, params (string Key, string? Value)[] query)
    {
        var url = new StringBuilder(path);
        var first = true;
        foreach (var (key, value) in query)
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            url.Append(first ? '?' : '&').Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
            first = false;
        }

        return url.ToString();
    }

    /// <summary>A two-column table of facts; values are HTML already (encode them first).</summary>
    public static void Facts(StringBuilder html, IEnumerable<(string Label, string Value)> rows)
    {
        html.Append("<div class=\"scroll\"><table class=\"facts\">\n");
        foreach (var (label, value) in rows)
        {
            html.Append("<tr><th>").Append(E(label)).Append("</th><td>").Append(value).Append("</td></tr>\n");
        }

        html.Append("</table></div>\n");
    }

    /// <summary>A table with a header row; cells are HTML already (encode them first).</summary>
    public static void Table(StringBuilder html, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, string? cssClass = null)
    {
        html.Append("<div class=\"scroll\"><table").Append(cssClass is null ? string.Empty : $" class=\"{cssClass}\"").Append(">\n<thead><tr>");
        foreach (var header in headers)
        {
            html.Append("<th>").Append(E(header)).Append("</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
            {
                html.Append("<td>").Append(cell).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody></table></div>\n");
    }
}
