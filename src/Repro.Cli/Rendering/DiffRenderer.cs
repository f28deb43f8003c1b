using System.Globalization;
using Repro.Judging.Diffing;
using Repro.Model.Verdicts;

namespace Repro.Cli.Rendering;

/// <summary>The readable form of <c>repro diff</c>: one section per pillar, "same" when nothing differs.</summary>
public static class DiffRenderer
{
    public static void Render(TextWriter w, RunDifference d)
    {
        w.WriteLine($"A = {d.A}");
        w.WriteLine($"B = {d.B}");
        w.WriteLine();
        w.WriteLine("code");
        if (d.Code.Same)
        {
            w.WriteLine("  same");
        }
        else
        {
            if (d.Code.CommitA != d.Code.CommitB)
            {
                w.WriteLine($"  commit      {d.Code.CommitA ?? "(none)"} → {d.Code.CommitB ?? "(none)"}");
            }

            if (d.Code.SnapshotA != d.Code.SnapshotB)
            {
                w.WriteLine($"  uncommitted {Format.Short(d.Code.SnapshotA)} → {Format.Short(d.Code.SnapshotB)}");
            }

            foreach (var file in d.Code.ChangedFiles)
            {
                w.WriteLine($"  changed     {file}");
            }
        }

        Section(w, "data", d.Data, hashes: true);
        Section(w, "command", d.Command, hashes: false);
        Section(w, "params", d.Params, hashes: false);
        Section(w, "seed", d.Seed is null ? [] : [d.Seed], hashes: false);
        Section(w, "packages", d.Packages, hashes: false);
        Section(w, "hardware", d.Hardware, hashes: false);
        Section(w, "threads", d.Threads, hashes: false);
        Section(w, "variables", d.Env, hashes: false);
        Section(w, "outputs", d.Outputs, hashes: true);

        w.WriteLine();
        w.WriteLine("metrics");
        if (d.Metrics.Count == 0)
        {
            w.WriteLine("  same");
        }

        foreach (var m in d.Metrics)
        {
            var delta = m.Delta is { } x ? x.ToString("+0.######;-0.######;0", CultureInfo.InvariantCulture) : string.Empty;
            w.WriteLine($"  {m.Key}  {Number(m.A)} → {Number(m.B)}  {delta}".TrimEnd());
        }

        if (d.Printed.Count > 0)
        {
            w.WriteLine();
            w.WriteLine("printed");
            foreach (var p in d.Printed)
            {
                w.WriteLine(p.Verdict == Verdict.Identical ? $"  {p.Stream}  same{(p.OriginalBytes == 0 ? " (nothing printed)" : string.Empty)}" : $"  {p.Stream}  {p.Verdict.ToString().ToUpperInvariant()}  {p.Detail}");
                foreach (var line in p.Lines)
                {
                    w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    line {line.Line} ({line.Judged}): {Quoted(line.Original)} → {Quoted(line.Reproduced)}"));
                }
            }
        }

        if (d.Causes.Count > 0)
        {
            w.WriteLine();
            w.WriteLine("likely causes of a different result, most likely first");
            var rank = 1;
            foreach (var cause in d.Causes)
            {
                w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {rank++}. [{cause.Pillar.ToString().ToLowerInvariant()}] {cause.Detail}"));
            }
        }
    }

    private static string Quoted(string? line) => line is null ? "(end of text)" : $"\"{line}\"";

    private static void Section(TextWriter w, string title, IReadOnlyList<Difference> items, bool hashes)
    {
        w.WriteLine();
        w.WriteLine(title);
        if (items.Count == 0)
        {
            w.WriteLine("  same");
        }

        foreach (var item in items)
        {
            var a = hashes ? Format.Short(item.A) : item.A ?? "(absent)";
            var b = hashes ? Format.Short(item.B) : item.B ?? "(absent)";
            w.WriteLine($"  {item.Key}  {a} → {b}");
        }
    }

    private static string Number(double? value) => value?.ToString("G10", CultureInfo.InvariantCulture) ?? "(absent)";
}
