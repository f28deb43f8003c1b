using System.Globalization;
using System.Text;
using Repro.Model;
using Repro.Model.Verdicts;
using Repro.Platform.Statistics;

namespace Repro.Evidence.Reports;

/// <summary>
/// The charts of an HTML report, drawn as inline SVG by repro (no script, no external file):
/// a line chart of a metric's steps, a strip plot of a metric over seeds with mean ± std and the
/// 95% interval, and the deviation of each metric in units of its tolerance.
/// </summary>
public static class SvgChart
{
    private const double Width = 480;
    private const double Left = 56;
    private const double Right = 12;

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static (double Low, double High) Range(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToList();
        if (finite.Count == 0)
        {
            return (0, 1);
        }

        var (low, high) = (finite.Min(), finite.Max());
        if (low == high)
        {
            var pad = low == 0 ? 1 : Math.Abs(low) * 0.05;
            return (low - pad, high + pad);
        }

        var margin = (high - low) * 0.05;
        return (low - margin, high + margin);
    }

    public static string Steps(string metric, IReadOnlyList<MetricStep> steps)
    {
        const double Height = 200;
        const double Top = 12;
        const double Bottom = 28;
        var points = steps.Where(s => double.IsFinite(s.Value)).ToList();
        var (low, high) = Range(points.Select(p => p.Value));
        var (first, last) = points.Count == 0 ? (0L, 1L) : (points.Min(p => p.Step), points.Max(p => p.Step));
        var span = Math.Max(1, last - first);
        double X(long step) => Left + ((step - first) / (double)span * (Width - Left - Right));
        double Y(double value) => Top + ((high - value) / (high - low) * (Height - Top - Bottom));

        var svg = Open(Height, $"{metric} over {points.Count} steps");
        Axes(svg, Height, Top, Bottom, ReportText.Num(high), ReportText.Num(low));
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Left)}\" y=\"{F(Height - 8)}\" class=\"tick\">step {first}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Width - Right)}\" y=\"{F(Height - 8)}\" class=\"tick\" text-anchor=\"end\">step {last}</text>\n");
        svg.Append("<polyline class=\"line\" fill=\"none\" points=\"");
        svg.AppendJoin(' ', points.Select(p => $"{F(X(p.Step))},{F(Y(p.Value))}"));
        svg.Append("\"/>\n");
        if (points.Count <= 60)
        {
            foreach (var p in points)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"dot\" cx=\"{F(X(p.Step))}\" cy=\"{F(Y(p.Value))}\" r=\"2.5\"><title>step {p.Step}: {ReportText.Num(p.Value)}</title></circle>");
            }

            svg.Append('\n');
        }

        return Close(svg);
    }

    public static string Seeds(string metric, IReadOnlyList<(long Seed, double Value)> values, SampleSummary summary)
    {
        const double Height = 120;
        const double Top = 10;
        const double Bottom = 28;
        var extent = values.Select(v => v.Value).Append(summary.Mean).ToList();
        if (summary.TInterval is { } t)
        {
            extent.Add(t.Low);
            extent.Add(t.High);
        }

        if (summary.StdDev is { } sd)
        {
            extent.Add(summary.Mean - sd);
            extent.Add(summary.Mean + sd);
        }

        var (low, high) = Range(extent);
        double X(double value) => Left + ((value - low) / (high - low) * (Width - Left - Right));
        var mid = Top + ((Height - Top - Bottom) / 2);

        var svg = Open(Height, $"{metric} over {values.Count} seeds");
        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"{F(Left)}\" y1=\"{F(Height - Bottom)}\" x2=\"{F(Width - Right)}\" y2=\"{F(Height - Bottom)}\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Left)}\" y=\"{F(Height - 8)}\" class=\"tick\">{ReportText.Num(low)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Width - Right)}\" y=\"{F(Height - 8)}\" class=\"tick\" text-anchor=\"end\">{ReportText.Num(high)}</text>\n");
        if (summary.StdDev is { } std)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"band\" x=\"{F(X(summary.Mean - std))}\" y=\"{F(Top)}\" width=\"{F(X(summary.Mean + std) - X(summary.Mean - std))}\" height=\"{F(Height - Top - Bottom)}\"><title>mean ± std</title></rect>\n");
        }

        if (summary.TInterval is { } ci)
        {
            var y = Height - Bottom - 6;
            svg.Append(CultureInfo.InvariantCulture, $"<path class=\"ci\" d=\"M{F(X(ci.Low))},{F(y - 4)}v8M{F(X(ci.Low))},{F(y)}H{F(X(ci.High))}M{F(X(ci.High))},{F(y - 4)}v8\"><title>95% t-interval {ReportText.Num(ci.Low)} – {ReportText.Num(ci.High)}</title></path>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"mean\" x1=\"{F(X(summary.Mean))}\" y1=\"{F(Top)}\" x2=\"{F(X(summary.Mean))}\" y2=\"{F(Height - Bottom)}\"><title>mean {ReportText.Num(summary.Mean)}</title></line>\n");
        for (var i = 0; i < values.Count; i++)
        {
            // A fixed vertical spread by position, so points with equal values stay visible and the chart is stable.
            var jitter = ((i % 5) - 2) * 6;
            svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"dot\" cx=\"{F(X(values[i].Value))}\" cy=\"{F(mid + jitter)}\" r=\"4\"><title>seed {values[i].Seed}: {ReportText.Num(values[i].Value)}</title></circle>");
        }

        svg.Append('\n');
        return Close(svg);
    }

    public static string Deviations(IReadOnlyList<MetricJudgement> metrics)
    {
        const double Row = 22;
        const double Top = 8;
        const double Bottom = 26;
        const double LabelWidth = 140;
        var height = Top + Bottom + (Row * metrics.Count);
        var ratios = metrics.Select(ReportText.ToleranceRatio).ToList();
        var scale = Math.Max(2, ratios.Where(r => r is { } v && double.IsFinite(v)).Select(r => r!.Value).DefaultIfEmpty(0).Max());
        scale = Math.Min(scale, 10);
        double X(double ratio) => LabelWidth + (Math.Min(ratio, scale) / scale * (Width - LabelWidth - Right));

        var svg = Open(height, "deviation of each metric in units of its tolerance");
        for (var i = 0; i < metrics.Count; i++)
        {
            var y = Top + (i * Row);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(LabelWidth - 6)}\" y=\"{F(y + 15)}\" class=\"tick\" text-anchor=\"end\">{ReportText.Html(metrics[i].Key)}</text>");
            if (ratios[i] is { } ratio)
            {
                var state = ratio <= 1 ? "ok" : "bad";
                var shown = double.IsFinite(ratio) ? ReportText.Num(ratio) + "× tolerance" : "beyond a zero tolerance";
                svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar {state}\" x=\"{F(LabelWidth)}\" y=\"{F(y + 4)}\" width=\"{F(Math.Max(1, X(ratio) - LabelWidth))}\" height=\"{F(Row - 8)}\"><title>{ReportText.Html(metrics[i].Key)}: {shown}</title></rect>");
            }

            svg.Append('\n');
        }

        var axis = height - Bottom;
        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"{F(LabelWidth)}\" y1=\"{F(axis)}\" x2=\"{F(Width - Right)}\" y2=\"{F(axis)}\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"limit\" x1=\"{F(X(1))}\" y1=\"{F(Top)}\" x2=\"{F(X(1))}\" y2=\"{F(axis)}\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(1))}\" y=\"{F(height - 8)}\" class=\"tick\" text-anchor=\"middle\">tolerance</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Width - Right)}\" y=\"{F(height - 8)}\" class=\"tick\" text-anchor=\"end\">{ReportText.Num(scale)}×</text>\n");
        return Close(svg);
    }

    private static StringBuilder Open(double height, string label)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" viewBox=\"0 0 {F(Width)} {F(height)}\" role=\"img\" aria-label=\"{ReportText.Html(label)}\" xmlns=\"http://www.w3.org/2000/svg\">\n");
        return svg;
    }

    private static void Axes(StringBuilder svg, double height, double top, double bottom, string highLabel, string lowLabel)
    {
        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"{F(Left)}\" y1=\"{F(top)}\" x2=\"{F(Left)}\" y2=\"{F(height - bottom)}\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"{F(Left)}\" y1=\"{F(height - bottom)}\" x2=\"{F(Width - Right)}\" y2=\"{F(height - bottom)}\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Left - 4)}\" y=\"{F(top + 8)}\" class=\"tick\" text-anchor=\"end\">{highLabel}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Left - 4)}\" y=\"{F(height - bottom)}\" class=\"tick\" text-anchor=\"end\">{lowLabel}</text>\n");
    }

    private static string Close(StringBuilder svg) => svg.Append("</svg>\n").ToString();
}
