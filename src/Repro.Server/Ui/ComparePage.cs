using System.Text;
using Repro.Judging.Diffing;
using Repro.Model;
using static Repro.Server.Ui.Html;

namespace Repro.Server.Ui;

/// <summary><c>/compare?a=RUN&amp;b=RUN</c>: the <c>repro diff</c> view, pillar by pillar, with the ranked likely causes.</summary>
internal static class ComparePage
{
    public static string Form(string? a, string? b, string? error)
    {
        var html = new StringBuilder("<h1>Compare two runs</h1>\n");
        html.Append("<form class=\"filter\" method=\"get\" action=\"/compare\">");
        html.Append("<label>A <input type=\"text\" name=\"a\" value=\"").Append(E(a)).Append("\" placeholder=\"id, prefix or name\"></label>");
        html.Append("<label>B <input type=\"text\" name=\"b\" value=\"").Append(E(b)).Append("\" placeholder=\"id, prefix or name\"></label>");
        html.Append("<button type=\"submit\">Compare</button></form>\n");
        if (error is not null)
        {
            html.Append("<p class=\"error\">").Append(E(error)).Append("</p>\n");
        }

        return html.ToString();
    }

    public static string Render(RunManifest a, RunManifest b, RunDifference d)
    {
        var html = new StringBuilder(Form(a.Id, b.Id, null));
        Facts(html,
        [
            ("A", RunLink(a.Id, a.Name) + " " + Status(a.Status) + " " + E(Time(a.CreatedAt))),
            ("B", RunLink(b.Id, b.Name) + " " + Status(b.Status) + " " + E(Time(b.CreatedAt))),
            ("Pillars", d.PillarsSame ? "<span class=\"ok\">code, data, params, seed and environment are the same</span>" : "<span class=\"partial\">differ (below)</span>"),
        ]);

        html.Append("<h2 id=\"code\">Code</h2>\n");
        if (d.Code.Same)
        {
            html.Append("<p class=\"ok\">same</p>\n");
        }
        else
        {
            var rows = new List<IReadOnlyList<string>>();
            if (d.Code.CommitA != d.Code.CommitB)
            {
                rows.Add(["commit", Code(d.Code.CommitA), Code(d.Code.CommitB)]);
            }

            if (d.Code.SnapshotA != d.Code.SnapshotB)
            {
                rows.Add(["uncommitted changes", Hash(d.Code.SnapshotA), Hash(d.Code.SnapshotB)]);
            }

            rows.AddRange(d.Code.ChangedFiles.Select(f => (IReadOnlyList<string>)["changed file", $"<code>{E(f)}</code>", string.Empty]));
            Table(html, ["", "A", "B"], rows);
        }

        Section(html, "data", "Data", d.Data, hashes: true);
        Section(html, "command", "Command", d.Command, hashes: false);
        Section(html, "params", "Params", d.Params, hashes: false);
        Section(html, "seed", "Seed", d.Seed is null ? [] : [d.Seed], hashes: false);
        Section(html, "packages", "Packages", d.Packages, hashes: false);
        Section(html, "hardware", "Hardware", d.Hardware, hashes: false);
        Section(html, "threads", "Threads", d.Threads, hashes: false);
        Section(html, "variables", "Variables", d.Env, hashes: false);
        Section(html, "outputs", "Outputs", d.Outputs, hashes: true);

        html.Append("<h2 id=\"metrics\">Metrics</h2>\n");
        if (d.Metrics.Count == 0)
        {
            html.Append("<p class=\"ok\">same</p>\n");
        }
        else
        {
            Table(html, ["Metric", "A", "B", "Δ (B − A)"], d.Metrics.Select(m => (IReadOnlyList<string>)
            [
                E(m.Key), E(Full(m.A)), E(Full(m.B)),
                m.Delta is { } delta ? E(delta.ToString("+0.######;-0.######;0", System.Globalization.CultureInfo.InvariantCulture)) : string.Empty,
            ]), "metrics");
        }

        RunPage.Causes(html, d.Causes);
        return html.ToString();
    }

    private static string Code(string? commit) => commit is null ? "<span class=\"muted\">(none)</span>" : $"<code>{E(commit)}</code>";

    private static void Section(StringBuilder html, string id, string title, IReadOnlyList<Difference> items, bool hashes)
    {
        html.Append("<h2 id=\"").Append(id).Append("\">").Append(E(title)).Append("</h2>\n");
        if (items.Count == 0)
        {
            html.Append("<p class=\"ok\">same</p>\n");
            return;
        }

        string Cell(string? value) => value is null ? "<span class=\"muted\">(absent)</span>" : hashes ? Hash(value) : $"<code>{E(value)}</code>";
        Table(html, ["", "A", "B"], items.Select(i => (IReadOnlyList<string>)[$"<code>{E(i.Key)}</code>", Cell(i.A), Cell(i.B)]));
    }
}
