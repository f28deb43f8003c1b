using System.Globalization;
using System.Text;
using Repro.Blobs.Storage;
using Repro.Model;
using static Repro.Server.Ui.Html;

namespace Repro.Server.Ui;

/// <summary>
/// <c>/audit</c>: the chain's status and its links a page at a time, newest first. A full check
/// (every link re-hashed, every run and verification re-read) runs when the log is small
/// (<see cref="ServerContext.AuditAutoVerifyLimit"/>) or when asked (<c>?verify=1</c>); otherwise the page says when the last one ran and what it found, and
/// re-hashes only the links it shows.
/// </summary>
internal static class AuditPage
{
    public const int Shown = 100;

    public static string Render(long count, string? head, IReadOnlyList<AuditEntry> page, long? before, AuditCheck? check, bool checkedNow)
    {
        var html = new StringBuilder("<h1>Audit log</h1>\n");
        Status(html, count, check, checkedNow);
        if (head is not null)
        {
            html.Append("<p>Head <code>").Append(E(head)).Append("</code> <span class=\"help\">(quote it to pin the log's state at this moment)</span></p>\n");
        }

        if (count == 0)
        {
            html.Append("<p class=\"muted\">The log is empty: nothing recorded yet.</p>\n");
            return html.ToString();
        }

        // The page holds one link more than it shows, so the oldest shown can be checked against the one before it.
        var shown = page.Take(Shown).ToList();
        var altered = new HashSet<long>();
        for (var i = 0; i < shown.Count; i++)
        {
            var e = shown[i];
            var older = i + 1 < page.Count ? page[i + 1] : null;
            var expectedPrevious = older?.Hash ?? (e.Seq == 1 ? AuditChain.Genesis : null);
            if (AuditChain.Hash(e.Seq, e.At, e.Kind, e.Subject, e.Digest, e.Previous) != e.Hash || (expectedPrevious is not null && e.Previous != expectedPrevious))
            {
                altered.Add(e.Seq);
            }
        }

        html.Append("<h2>").Append(before is null ? "Newest entries" : "Entries").Append("</h2>\n");
        html.Append("<p class=\"help\" id=\"page-links\">").Append(altered.Count == 0
            ? E(string.Create(CultureInfo.InvariantCulture, $"The {shown.Count} links on this page re-hash to their recorded hashes and each follows the one before it."))
            : "<span class=\"broken\">" + E(string.Create(CultureInfo.InvariantCulture, $"{altered.Count} of the links on this page do not re-hash or do not follow the link before them: entries {string.Join(", ", altered.Order())}.")) + "</span>").Append("</p>\n");
        Table(html, ["Seq", "At", "Kind", "Subject", "SHA-256", "Link hash", "Link"], shown.Select(e => (IReadOnlyList<string>)
        [
            E(Int(e.Seq)), E(Time(e.At)), E(e.Kind),
            e.Kind is "run" or "verification" or "study" or "tracked" ? RunLink(e.Subject) : e.Kind == "model" && e.Subject.Split('/') is [var model, var version] ? $"<a href=\"{ModelsPage.ModelUrl(model)}#v{E(version)}\"><code>{E(e.Subject)}</code></a>" : $"<code>{E(e.Subject)}</code>",
            Hash(e.Digest), Hash(e.Hash),
            altered.Contains(e.Seq) ? "<span class=\"broken\">altered</span>" : "<span class=\"ok\">ok</span>",
        ]), "audit");
        html.Append("<div class=\"pager\">");
        if (before is not null)
        {
            html.Append("<a href=\"/audit\">newest</a>");
        }

        if (page.Count > Shown)
        {
            html.Append("<a id=\"older\" href=\"").Append(E(Url("/audit", ("before", Int(shown[^1].Seq))))).Append("\">older entries</a>");
        }

        html.Append("<span class=\"help\">").Append(E(string.Create(CultureInfo.InvariantCulture, $"{count} entries in all; `repro audit log` prints them."))).Append("</span></div>\n");
        return html.ToString();
    }

    private static void Status(StringBuilder html, long count, AuditCheck? check, bool checkedNow)
    {
        html.Append("<p id=\"audit-status\">");
        if (check is null)
        {
            html.Append("<span class=\"partial\">NOT CHECKED</span>: ").Append(E(string.Create(CultureInfo.InvariantCulture, $"the log has {count} entries; a full check re-reads every run and verification it names, so it runs when asked.")));
        }
        else
        {
            var result = check.Result;
            html.Append(result.Intact ? "<span class=\"intact\">INTACT</span>: " : "<span class=\"broken\">BROKEN</span>: ");
            html.Append(E(result.Intact
                ? string.Create(CultureInfo.InvariantCulture, $"{result.Entries} entries; every link and digest checks out")
                : result.FirstBroken?.Problem ?? "problems found"));
            html.Append(E(checkedNow ? " (checked now)." : $" (full check at {Time(check.At)})."));
            if (!checkedNow && count > result.Entries)
            {
                html.Append(' ').Append(E(string.Create(CultureInfo.InvariantCulture, $"{count - result.Entries} entries appended since are not in that check.")));
            }
        }

        html.Append("</p>\n");
        if (check is { Result.Intact: false } broken)
        {
            Table(html, ["Entry", "Subject", "Problem"], broken.Result.Problems.Select(p => (IReadOnlyList<string>)[p.Seq is { } seq ? E(Int(seq)) : "–", $"<code>{E(p.Subject)}</code>", E(p.Problem)]), "problems");
        }

        if (!checkedNow)
        {
            html.Append("<form class=\"filter\" method=\"get\" action=\"/audit\"><input type=\"hidden\" name=\"verify\" value=\"1\"><button id=\"verify\" type=\"submit\">Verify the whole chain now</button>")
                .Append("<span class=\"help\">as <code>repro audit verify</code> does: every link re-hashed, every run and verification re-read and re-hashed</span></form>\n");
        }
    }
}
