using System.Globalization;
using System.Text;
using Repro.Evidence.Reports;
using Repro.Model;
using Repro.Platform.Statistics;
using static Repro.Server.Ui.Html;

namespace Repro.Server.Ui;

/// <summary><c>/studies/{id}</c>: a seed study's distribution per metric (each seed a dot, mean, ± std, 95% interval) and its statistics.</summary>
internal static class StudyPage
{
    public static string Render(RunManifest run, string digest)
    {
        var study = run.Study ?? throw new ArgumentException("not a study", nameof(run));
        var ok = study.Children.Where(c => c.Status == RunStatus.Ok).ToList();
        var html = new StringBuilder();
        html.Append("<h1>Study ").Append(E(run.Name ?? string.Empty)).Append(" <code class=\"muted\">").Append(E(ShortId(run.Id))).Append("</code></h1>\n");
        Facts(html,
        [
            ("Study run", RunLink(run.Id)),
            ("Seeds", E(string.Create(CultureInfo.InvariantCulture, $"{study.Children.Count} ({ok.Count} ok): {string.Join(", ", study.Seeds)}"))),
            ("Source", study.SourceRun is { } source ? "re-runs of " + RunLink(source) + E($", {study.Mode}") : E($"the command given directly, {study.Mode}")),
            ("Parallelism", E(Int(study.Parallelism))),
            ("Created", E(Time(run.CreatedAt))),
            ("Digest", $"<code>sha256:{E(digest)}</code>"),
        ]);

        html.Append("<h2 id=\"distribution\">Seed distribution</h2>\n");
        if (study.Statistics.Count == 0)
        {
            html.Append("<p class=\"muted\">No metrics: record them with <code>--metrics FILE</code> or <code>REPRO_METRICS_FILE</code>.</p>\n");
        }
        else
        {
            html.Append("<div class=\"charts\">\n");
            foreach (var (key, summary) in study.Statistics)
            {
                var values = ok.Where(c => c.Metrics.ContainsKey(key)).Select(c => (c.Seed, c.Metrics[key])).ToList();
                html.Append("<figure>").Append(SvgChart.Seeds(key, values, summary)).Append("<figcaption>").Append(E(key)).Append(": each dot a seed; line the mean, band ± std, bracket the 95% t-interval</figcaption></figure>\n");
            }

            html.Append("</div>\n");
            Statistics(html, study.Statistics);
        }

        foreach (var claim in study.Claims)
        {
            html.Append("<p class=\"").Append(claim.Placement.LikelyCherryPick ? "error" : "help").Append("\">claim ").Append(E(claim.Key)).Append(" = ").Append(E(Full(claim.Placement.Claim))).Append(": ").Append(E(claim.Placement.Message)).Append("</p>\n");
        }

        html.Append("<h2 id=\"seeds\">Seeds</h2>\n");
        var keys = study.Statistics.Keys.ToList();
        Table(html, ["Seed", "Run", "Status", .. keys], study.Children.Select(c => (IReadOnlyList<string>)
        [
            E(Int(c.Seed)),
            RunLink(c.RunId),
            c.Status == RunStatus.Ok ? Status(c.Status) : "<span class=\"failed\">" + E(string.Create(CultureInfo.InvariantCulture, $"failed (exit {c.ExitCode}), left out")) + "</span>",
            .. keys.Select(k => c.Metrics.TryGetValue(k, out var v) ? E(Full(v)) : string.Empty),
        ]));
        html.Append("<p class=\"help\">bootstrap: ").Append(E(study.Bootstrap)).Append("; t-interval: mean ± t(0.975, n−1)·s/√n</p>\n");
        foreach (var warning in run.Warnings)
        {
            html.Append("<p class=\"error\">warning: ").Append(E(warning)).Append("</p>\n");
        }

        return html.ToString();
    }

    private static void Statistics(StringBuilder html, IReadOnlyDictionary<string, SampleSummary> statistics)
    {
        static string Interval(Interval? i) => i is { } v ? $"[{Num(v.Low)}, {Num(v.High)}]" : "–";
        Table(html, ["Metric", "N", "Mean", "Std", "SE", "95% CI (t)", "95% CI (bootstrap)", "Median", "Min", "Max", "CV"], statistics.Select(s => (IReadOnlyList<string>)
        [
            E(s.Key), E(Int(s.Value.N)), E(Num(s.Value.Mean)), E(Num(s.Value.StdDev)), E(Num(s.Value.StdError)),
            E(Interval(s.Value.TInterval)), E(Interval(s.Value.BootstrapInterval)),
            E(Num(s.Value.Median)), E(Num(s.Value.Min)), E(Num(s.Value.Max)),
            s.Value.CoefficientOfVariation is { } cv ? E(string.Create(CultureInfo.InvariantCulture, $"{cv * 100:0.##}%")) : "–",
        ]), "statistics");
        foreach (var (key, summary) in statistics)
        {
            foreach (var note in summary.Notes)
            {
                html.Append("<p class=\"help\">").Append(E(key)).Append(": ").Append(E(note)).Append("</p>\n");
            }
        }
    }
}
