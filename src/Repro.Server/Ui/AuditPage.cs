using System.Globalization;
using System.Text;
using Repro.Audit;
using static Repro.Server.Ui.Html;

namespace Repro.Server.Ui;

/// <summary><c>/audit</c>: what <c>repro audit verify</c> says of the chain now, and its newest links.</summary>
internal static class AuditPage
{
    public const int Shown = 100;

    public static string Render(AuditResult result, IReadOnlyList<AuditEntry> entries)
    {
        var html = new StringBuilder("<h1>Audit log</h1>\n");
        if (result.Intact)
        {
            html.Append("<p id=\"audit-status\"><span class=\"intact\">INTACT</span>: ").Append(E(string.Create(CultureInfo.InvariantCulture, $"{result.Entries} entries; every link and digest checks out."))).Append("</p>\n");
        }
        else
        {
            html.Append("<p id=\"audit-status\"><span class=\"broken\">BROKEN</span>: ").Append(E(result.FirstBroken?.Problem)).Append("</p>\n");
            Table(html, ["Entry", "Subject", "Problem"], result.Problems.Select(p => (IReadOnlyList<string>)[p.Seq is { } seq ? E(Int(seq)) : "–", $"<code>{E(p.Subject)}</code>", E(p.Problem)]));
        }

        if (result.Head is { } head)
        {
            html.Append("<p>Head <code>").Append(E(head)).Append("</code> <span class=\"help\">(quote it to pin the log's state at this moment)</span></p>\n");
        }

        if (entries.Count == 0)
        {
            html.Append("<p class=\"muted\">The log is empty: nothing recorded yet.</p>\n");
            return html.ToString();
        }

        html.Append("<h2>Newest entries</h2>\n");
        Table(html, ["Seq", "At", "Kind", "Subject", "SHA-256", "Link hash"], entries.Reverse().Take(Shown).Select(e => (IReadOnlyList<string>)
        [
            E(Int(e.Seq)), E(Time(e.At)), E(e.Kind),
            e.Kind is "run" or "verification" or "study" ? RunLink(e.Subject) : $"<code>{E(e.Subject)}</code>",
            Hash(e.Digest), Hash(e.Hash),
        ]), "audit");
        if (entries.Count > Shown)
        {
            html.Append("<p class=\"help\">").Append(E(string.Create(CultureInfo.InvariantCulture, $"{Shown} of {entries.Count} shown; `repro audit log` prints them all."))).Append("</p>\n");
        }

        return html.ToString();
    }
}
