using System.Globalization;
using Repro.Judging.Comparison;
using Repro.Model.Verdicts;

namespace Repro.Cli.Rendering;

/// <summary>The readable verification report: verdict first, then the evidence per output and metric, then causes.</summary>
public static class VerificationRenderer
{
    public static void Render(TextWriter w, VerificationReport report, bool colour)
    {
        w.WriteLine($"{Paint(report.Verdict, colour)}  {report.Summary}");
        w.WriteLine($"run           {report.Run}  (digest sha256:{report.RunDigest})");
        w.WriteLine($"re-run as     {string.Join(", ", report.ReproductionRuns)}  ({report.Mode})");
        w.WriteLine($"tolerance     {report.Tolerance}  (from {report.ToleranceSource})");
        w.WriteLine($"execution     {Word(report.Execution.Verdict)}  {report.Execution.Detail}");

        if (report.Inputs.Count > 0)
        {
            w.WriteLine();
            w.WriteLine("inputs (in place)");
            foreach (var input in report.Inputs)
            {
                w.WriteLine(input.Verdict == Verdict.Identical
                    ? $"  unchanged  {input.Path}  sha256 {Format.Short(input.Recorded)}"
                    : $"  CHANGED    {input.Path}  sha256 {Format.Short(input.Recorded)} → {Format.Short(input.Current)}");
            }
        }

        w.WriteLine();
        w.WriteLine("outputs");
        if (report.Outputs.Count == 0)
        {
            w.WriteLine("  none declared");
        }

        var table = new TableWriter("  VERDICT", "PATH", "COMPARER", "DETAIL");
        foreach (var o in report.Outputs)
        {
            var errors = o.MaxAbsError is { } abs ? string.Create(CultureInfo.InvariantCulture, $" max abs {abs:G4}, max rel {o.MaxRelError ?? 0:G4}") : string.Empty;
            var tol = o.Tolerance is null ? string.Empty : $" [tolerance {o.Tolerance}]";
            table.Add("  " + Word(o.Verdict), o.Path, o.Comparer, o.Detail + errors + tol);
        }

        if (report.Outputs.Count > 0)
        {
            table.Write(w);
        }

        w.WriteLine();
        w.WriteLine("metrics");
        if (report.Metrics.Count == 0)
        {
            w.WriteLine("  none recorded");
        }
        else
        {
            var metrics = new TableWriter("  VERDICT", "KEY", "ORIGINAL", "REPRODUCED", "DELTA", "TOLERANCE");
            foreach (var m in report.Metrics)
            {
                metrics.Add("  " + Word(m.Verdict), m.Key, Number(m.Original), Number(m.Reproduced), Number(m.Delta), m.Tolerance);
            }

            metrics.Write(w);
        }

        if (report.Printed.Count > 0)
        {
            w.WriteLine();
            w.WriteLine("printed");
            var printed = new TableWriter("  VERDICT", "STREAM", "COMPARER", "DETAIL");
            foreach (var p in report.Printed)
            {
                var tol = p.Tolerance is null || p.Verdict == Verdict.Identical ? string.Empty : $" [tolerance {p.Tolerance}]";
                var compared = p.OriginalBytes > 0 || p.ReproducedBytes > 0;
                printed.Add("  " + (compared ? Word(p.Verdict) : "-"), p.Stream, compared ? p.Comparer : "-", p.Detail + tol);
            }

            printed.Write(w);
            foreach (var p in report.Printed)
            {
                foreach (var line in p.Lines)
                {
                    w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {p.Stream} line {line.Line} ({line.Judged}):"));
                    w.WriteLine($"    original    {Quoted(line.Original)}");
                    w.WriteLine($"    reproduced  {Quoted(line.Reproduced)}");
                }
            }
        }

        if (report.Masks.Count > 0 && report.Printed.Any(p => p.Comparer == "printed"))
        {
            w.WriteLine($"masks         {string.Join(", ", report.Masks.Select(m => m.Source == "built-in" ? m.Name : $"{m.Name} ({m.Source})"))}");
        }

        if (report.Compared is { Count: 0 })
        {
            w.WriteLine();
            w.WriteLine("compared      nothing: no output, no metric and no printed text (only the exit code)");
        }

        if (report.NondeterministicHere is { } nondeterministic)
        {
            w.WriteLine();
            w.WriteLine(nondeterministic
                ? $"determinism   the {report.ReproductionRuns.Count} runs here DISAGREE: " + string.Join("; ", report.Nondeterminism.Take(5))
                : $"determinism   the {report.ReproductionRuns.Count} runs here agree");
        }

        if (report.Causes.Count > 0)
        {
            w.WriteLine();
            w.WriteLine("likely causes, most likely first");
            var rank = 1;
            foreach (var cause in report.Causes)
            {
                w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {rank++}. [{cause.Pillar.ToString().ToLowerInvariant()}] {cause.Detail}"));
            }
        }

        foreach (var note in report.Notes)
        {
            w.WriteLine($"note: {note}");
        }
    }

    private static string Word(Verdict verdict) => verdict.ToString().ToUpperInvariant();

    private static string Paint(Verdict verdict, bool colour)
    {
        var word = Word(verdict);
        if (!colour)
        {
            return word;
        }

        var code = verdict switch { Verdict.Identical => "32", Verdict.Equivalent => "36", Verdict.Diverged => "33", Verdict.Unverified => "35", _ => "31" };
        return $"\u001b[1;{code}m{word}\u001b[0m";
    }

    private static string Quoted(string? line) => line is null ? "(end of text)" : $"\"{line}\"";

    private static string Number(double? value) => value is { } v ? v.ToString("G10", CultureInfo.InvariantCulture) : "-";
}
