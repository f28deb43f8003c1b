using System.Globalization;
using Repro.Model;
using Repro.Platform.Statistics;

namespace Repro.Cli.Rendering;

/// <summary>The readable form of a seed study: one line per metric with its spread and intervals, then the seeds.</summary>
public static class StudyRenderer
{
    public static void Render(TextWriter w, RunManifest run, string digest)
    {
        var study = run.Study ?? throw new ArgumentException("not a study", nameof(run));
        var ok = study.Children.Count(c => c.Status == RunStatus.Ok);
        var source = study.SourceRun is { } s ? $"re-runs of run {s[..8]}, each in a scratch checkout of its code and data" : "the command in this folder";
        w.WriteLine($"study {run.Id[..8]}{(run.Name is null ? string.Empty : $" ({run.Name})")}: {Count(study.Children.Count, "seed")}, {ok} ok; {source}; {study.Parallelism} at a time");
        w.WriteLine($"digest sha256:{digest}");
        w.WriteLine();
        RenderStatistics(w, study.Statistics);
        foreach (var claim in study.Claims)
        {
            w.WriteLine();
            w.WriteLine($"claim {claim.Key} = {Format.Number(claim.Placement.Claim)} ({(claim.HigherIsBetter ? "higher" : "lower")} is better): {claim.Placement.Message}");
        }

        w.WriteLine();
        RenderChildren(w, study);
        w.WriteLine();
        w.WriteLine($"bootstrap: {study.Bootstrap}; t-interval: mean ± t(0.975, n−1)·s/√n");
        foreach (var warning in run.Warnings)
        {
            w.WriteLine($"warning: {warning}");
        }
    }

    public static void RenderChildren(TextWriter w, StudyRecord study)
    {
        var table = new TableWriter("SEED", "RUN", "STATUS", "METRICS");
        foreach (var child in study.Children)
        {
            table.Add(
                child.Seed.ToString(CultureInfo.InvariantCulture),
                child.RunId[..8],
                child.Status == RunStatus.Ok ? "ok" : string.Create(CultureInfo.InvariantCulture, $"FAILED (exit {child.ExitCode}), left out"),
                string.Join(" ", child.Metrics.Take(4).Select(m => $"{m.Key}={Format.Number(m.Value)}")) + (child.Metrics.Count > 4 ? " …" : string.Empty));
        }

        table.Write(w);
    }

    public static void RenderStatistics(TextWriter w, IReadOnlyDictionary<string, SampleSummary> statistics)
    {
        if (statistics.Count == 0)
        {
            w.WriteLine("no metrics: record them with --metrics FILE or REPRO_METRICS_FILE");
            return;
        }

        var table = new TableWriter("METRIC", "N", "MEAN ± STD", "SE", "95% CI (t)", "95% CI (bootstrap)", "MEDIAN", "MIN", "MAX", "CV");
        var notes = new List<string>();
        foreach (var (key, m) in statistics)
        {
            var d = Format.DecimalsFor(m.StdDev) is { } decimals ? decimals + 1 : (int?)null;
            table.Add(
                key,
                m.N.ToString(CultureInfo.InvariantCulture),
                Format.MeanStd(m.Mean, m.StdDev),
                m.StdError is { } se ? Format.Rounded(se, d) : "-",
                Interval(m.TInterval, d),
                Interval(m.BootstrapInterval, d),
                Format.Rounded(m.Median, d),
                Format.Rounded(m.Min, d),
                Format.Rounded(m.Max, d),
                m.CoefficientOfVariation is { } cv ? string.Create(CultureInfo.InvariantCulture, $"{cv * 100:0.##}%") : "-");
            notes.AddRange(m.Notes.Select(n => $"{key}: {n}"));
        }

        table.Write(w);
        foreach (var note in notes)
        {
            w.WriteLine($"note: {note}");
        }
    }

    public static string Interval(Interval? interval, int? decimals) =>
        interval is { } i ? $"[{Format.Rounded(i.Low, decimals)}, {Format.Rounded(i.High, decimals)}]" : "-";

    private static string Count(int n, string noun) => string.Create(CultureInfo.InvariantCulture, $"{n} {noun}{(n == 1 ? string.Empty : "s")}");
}
