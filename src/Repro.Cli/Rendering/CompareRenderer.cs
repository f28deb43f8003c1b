using System.Globalization;
using Repro.Judging.Studies;

namespace Repro.Cli.Rendering;

/// <summary>The readable form of <c>repro compare</c>: per metric, both sides, the tests and the conclusion.</summary>
public static class CompareRenderer
{
    public static void Render(TextWriter w, StudyComparison c)
    {
        w.WriteLine($"A = study {c.A[..8]}{Named(c.AName)}   sha256:{c.ADigest}");
        w.WriteLine($"B = study {c.B[..8]}{Named(c.BName)}   sha256:{c.BDigest}");
        foreach (var m in c.Metrics)
        {
            var t = m.Test;
            var d = Format.DecimalsFor(Math.Min(m.A.StdDev ?? double.MaxValue, m.B.StdDev ?? double.MaxValue)) is { } x ? x + 1 : (int?)null;
            w.WriteLine();
            w.WriteLine($"{m.Key} ({(m.HigherIsBetter ? "higher" : "lower")} is better)");
            Line(w, "A", $"{Format.MeanStd(m.A.Mean, m.A.StdDev)}   (n = {m.A.N})");
            Line(w, "B", $"{Format.MeanStd(m.B.Mean, m.B.StdDev)}   (n = {m.B.N})");
            Line(w, "B − A", $"{Signed(t.Difference, d)}{(t.DifferenceInterval is { } ci ? $", 95% CI {StudyRenderer.Interval(ci, d)} (Welch)" : string.Empty)}");
            Line(w, "Welch t-test", t.WelchT is { } tt ? Invariant($"t = {tt:0.###}, df = {t.WelchDf:0.##}, p = {t.WelchP:G3}") : "undefined: no spread on either side");
            Line(w, "Mann–Whitney", Invariant($"U = {t.MannWhitneyU:0.#}, p = {t.MannWhitneyP:G3} ({t.MannWhitneyMethod})"));
            Line(w, "P(B better)", Invariant($"{m.ProbabilityBBetter:0.00}"));
            Line(w, "Cohen's d", t.CohensD is { } cd ? Invariant($"{cd:0.##}") : "-");
            Line(w, "conclusion", m.Conclusion);
        }

        w.WriteLine();
        w.WriteLine($"rule: {c.Rule}");
        foreach (var warning in c.Warnings)
        {
            w.WriteLine($"warning: {warning}");
        }
    }

    private static string Named(string? name) => name is null ? string.Empty : $" ({name})";

    private static string Signed(double value, int? decimals) => (value >= 0 ? "+" : string.Empty) + Format.Rounded(value, decimals);

    private static void Line(TextWriter w, string label, string text) => w.WriteLine($"  {label,-14}{text}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
