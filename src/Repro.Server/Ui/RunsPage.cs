using System.Globalization;
using System.Text;
using static Repro.Server.Ui.Html;

namespace Repro.Server.Ui;

/// <summary>
/// <c>/</c>: the runs table. The filter box takes MLflow's grammar; sorting and paging are links
/// (no script); two radio columns pick the runs to compare.
/// </summary>
internal static class RunsPage
{
    private const int MaxMetricColumns = 8;

    public static string Render(RunsTableQuery query, RunsTablePage? page, string? error)
    {
        var html = new StringBuilder();
        html.Append("<h1>Runs</h1>\n");
        html.Append("<form class=\"filter\" method=\"get\" action=\"/\">");
        html.Append("<input type=\"text\" name=\"filter\" id=\"filter\" aria-label=\"filter\" placeholder=\"metrics.acc &gt; 0.9 AND params.lr = '0.01' AND tags.team = 'vision' AND attributes.status = 'FINISHED'\" value=\"").Append(E(query.Filter)).Append("\">");
        if (query.Sort != "created" || !query.Descending)
        {
            html.Append("<input type=\"hidden\" name=\"sort\" value=\"").Append(E(query.Sort)).Append("\">");
            html.Append("<input type=\"hidden\" name=\"dir\" value=\"").Append(query.Descending ? "desc" : "asc").Append("\">");
        }

        html.Append("<button type=\"submit\">Filter</button>");
        if (query.Filter.Length > 0)
        {
            html.Append(" <a href=\"/\">clear</a>");
        }

        html.Append("</form>\n");
        html.Append("<p class=\"help\">Filter as in MLflow: <code>metrics.KEY</code> (= != &gt; &gt;= &lt; &lt;=), <code>params.KEY</code> and <code>tags.KEY</code> (= != LIKE ILIKE), <code>attributes.run_name</code>, <code>attributes.status</code> ('FINISHED', 'FAILED'), joined by AND. Quote values with '…'.</p>\n");
        if (error is not null)
        {
            html.Append("<p class=\"error\" id=\"filter-error\">").Append(E(error)).Append("</p>\n");
        }

        if (page is null)
        {
            return html.ToString();
        }

        var metrics = page.Runs.SelectMany(r => r.Metrics.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(MaxMetricColumns).ToList();
        if (query.Sort.StartsWith("metrics.", StringComparison.Ordinal) && !metrics.Contains(query.Sort["metrics.".Length..]))
        {
            metrics.Insert(0, query.Sort["metrics.".Length..]);
        }

        var first = query.From;
        var last = first + page.Runs.Count - 1;
        html.Append("<p class=\"muted\" id=\"count\">");
        html.Append(page.Runs.Count == 0
            ? (query.Filter.Length > 0 ? "No run matches this filter." : "No runs recorded yet: <code>repro run -- COMMAND</code> records one.")
            : string.Create(CultureInfo.InvariantCulture, $"Runs {first}–{last}") + (page.Total is { } total ? string.Create(CultureInfo.InvariantCulture, $" of {total:N0}") : string.Empty));
        html.Append("</p>\n");
        if (page.Runs.Count == 0)
        {
            return html.ToString();
        }

        html.Append("<form method=\"get\" action=\"/compare\">\n<div class=\"scroll\"><table id=\"runs\">\n<thead><tr><th title=\"compare: A\">A</th><th title=\"compare: B\">B</th><th>Run</th>");
        html.Append(SortHeader(query, "name", "Name")).Append("<th>Kind</th>").Append(SortHeader(query, "status", "Status")).Append(SortHeader(query, "created", "Created"));
        html.Append("<th>Wall</th><th>Seed</th>");
        foreach (var metric in metrics)
        {
            html.Append(SortHeader(query, "metrics." + metric, metric));
        }

        html.Append("</tr></thead>\n<tbody>\n");
        for (var i = 0; i < page.Runs.Count; i++)
        {
            var run = page.Runs[i];
            var id = E(run.Id);
            html.Append("<tr>");
            html.Append("<td><input type=\"radio\" name=\"a\" value=\"").Append(id).Append('"').Append(i == 1 ? " checked" : string.Empty).Append(" aria-label=\"compare A\"></td>");
            html.Append("<td><input type=\"radio\" name=\"b\" value=\"").Append(id).Append('"').Append(i == 0 ? " checked" : string.Empty).Append(" aria-label=\"compare B\"></td>");
            html.Append("<td>").Append(RunLink(run.Id)).Append("</td>");
            html.Append("<td class=\"name\">").Append(E(run.Name)).Append("</td>");
            html.Append("<td>").Append(run.Kind == "study" ? $"<a href=\"/studies/{Uri.EscapeDataString(run.Id)}\">study</a>" : E(run.Kind)).Append("</td>");
            html.Append("<td>").Append(Status(run.Status)).Append("</td>");
            html.Append("<td>").Append(E(Time(run.CreatedAt))).Append("</td>");
            html.Append("<td class=\"num\">").Append(E(Seconds(run.WallSeconds))).Append("</td>");
            html.Append("<td class=\"num\">").Append(run.Seed is { } seed ? E(Int(seed)) : string.Empty).Append("</td>");
            foreach (var metric in metrics)
            {
                html.Append("<td class=\"num\">").Append(run.Metrics.TryGetValue(metric, out var value) ? E(Num(value)) : string.Empty).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody></table></div>\n");
        if (page.Runs.Count >= 2)
        {
            html.Append("<button type=\"submit\" id=\"compare\">Compare A with B</button>\n");
        }

        html.Append("</form>\n<nav class=\"pager\">");
        if (query.After.Length > 0)
        {
            html.Append("<a id=\"first\" href=\"").Append(E(PageUrl(query, null, 1))).Append("\">← first page</a>");
        }

        if (page.Next is { } next)
        {
            html.Append("<a id=\"next\" href=\"").Append(E(PageUrl(query, next, last + 1))).Append("\">next page →</a>");
        }

        html.Append("</nav>\n");
        return html.ToString();
    }

    private static string SortHeader(RunsTableQuery query, string key, string label)
    {
        var sorted = query.Sort == key;
        var descending = sorted ? !query.Descending : key is "created" || key.StartsWith("metrics.", StringComparison.Ordinal);
        var url = Url("/", ("filter", query.Filter), ("sort", key), ("dir", descending ? "desc" : "asc"), ("size", query.PageSize == RunsTableQuery.DefaultPageSize ? null : Int(query.PageSize)));
        var arrow = sorted ? (query.Descending ? " ▼" : " ▲") : string.Empty;
        return $"<th><a href=\"{E(url)}\"{(sorted ? " class=\"sorted\"" : string.Empty)}>{E(label)}{arrow}</a></th>";
    }

    private static string PageUrl(RunsTableQuery query, string? after, int from) => Url(
        "/",
        ("filter", query.Filter),
        ("sort", query.Sort == "created" ? null : query.Sort),
        ("dir", query.Descending ? null : "asc"),
        ("size", query.PageSize == RunsTableQuery.DefaultPageSize ? null : Int(query.PageSize)),
        ("after", after),
        ("from", from == 1 ? null : Int(from)));
}
