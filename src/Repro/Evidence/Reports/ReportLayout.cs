using Repro.Checks.Checklist;
using Repro.Judging.Comparison;
using Repro.Model;
using Repro.Model.Verdicts;
using static Repro.Evidence.Reports.ReportText;

namespace Repro.Evidence.Reports;

/// <summary>
/// Decides what a report says and in which order, once for every format: summary, the three
/// pillars, parameters and seed, metrics, the study or verification evidence, the checklist and
/// the records covered. Dictionaries are walked in ordinal key order so the bytes are stable.
/// </summary>
public static class ReportLayout
{
    private static readonly HashSet<int> NoCode = [];

    public static IReadOnlyList<ReportSection> Sections(ReportData data)
    {
        var sections = new List<ReportSection> { Summary(data) };
        sections.AddRange(Pillars(data.Run));
        sections.Add(Parameters(data.Run));
        sections.Add(Metrics(data.Run));
        if (data.Run.Study is { } study)
        {
            sections.Add(Study(study));
        }

        if (data.Verification is { } verification)
        {
            sections.AddRange(Verification(verification));
        }
        else if (data.Kind == "run")
        {
            sections.Add(Verifications(data.Verifications));
        }

        if (data.Checklist is { } checklist)
        {
            sections.Add(Checklist(checklist));
        }

        sections.Add(Records(data));
        return sections;
    }

    private static ReportBlock.Table Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, params int[] code) =>
        new(headers, rows.ToList(), code.Length == 0 ? NoCode : code.ToHashSet());

    private static ReportSection Summary(ReportData data)
    {
        var run = data.Run;
        var blocks = new List<ReportBlock>();
        var facts = new List<(string, string)>();
        switch (data.Kind)
        {
            case "verification":
                var v = data.Verification!;
                blocks.Add(new ReportBlock.Paragraph($"Verdict: {Verdict(v.Verdict)}. {v.Summary}"));
                facts.Add(("verified run", Label(run)));
                facts.Add(("verified at", Time(v.VerifiedAt)));
                facts.Add(("mode", v.Mode));
                facts.Add(("re-runs", Int(v.ReproductionRuns.Count)));
                facts.Add(("tolerance", $"{v.Tolerance} ({v.ToleranceSource})"));
                break;
            case "study":
                var study = run.Study!;
                var ok = study.Children.Count(c => c.Status == RunStatus.Ok);
                blocks.Add(new ReportBlock.Paragraph(string.Create(Invariant, $"{ok} of {study.Children.Count} seeds succeeded. Headline statistics (mean ± standard deviation over the seeds, 95% t-interval):")));
                blocks.Add(new ReportBlock.List(study.Statistics.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}: {MeanStd(s.Value.Mean, s.Value.StdDev)} (n = {Int(s.Value.N)}{(s.Value.TInterval is { } t ? $", 95% CI {Num(t.Low)} – {Num(t.High)}" : ", no interval")})").ToList(), false));
                facts.Add(("study", Label(run)));
                facts.Add(("source run", study.SourceRun ?? "a command given directly"));
                facts.Add(("mode", $"{study.Mode}, {Int(study.Parallelism)} at once"));
                break;
            default:
                var latest = data.Verifications.Count > 0 ? data.Verifications[0] : null;
                blocks.Add(new ReportBlock.Paragraph(latest is null
                    ? $"Run {Label(run)} finished {run.Status.ToString().ToLowerInvariant()} (exit code {Int(run.Execution.ExitCode)}); it has not been verified."
                    : $"Run {Label(run)} finished {run.Status.ToString().ToLowerInvariant()} (exit code {Int(run.Execution.ExitCode)}); latest verification: {Verdict(latest.Verdict)} ({Time(latest.VerifiedAt)})."));
                if (run.Metrics.Values.Count > 0)
                {
                    blocks.Add(new ReportBlock.List(run.Metrics.Values.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key} = {Num(m.Value)}").ToList(), false));
                }

                facts.Add(("run", Label(run)));
                break;
        }

        facts.Add(("id", run.Id));
        facts.Add(("kind", run.Kind));
        facts.Add(("status", run.Status.ToString().ToLowerInvariant()));
        facts.Add(("recorded", Time(run.CreatedAt)));
        facts.Add(("command", Command(run)));
        facts.Add(("wall time", Seconds(run.Execution.WallSeconds)));
        if (data.Checklist is { } checklist)
        {
            facts.Add(("reproducibility", checklist.LevelName));
        }

        blocks.Add(new ReportBlock.Facts(facts));
        return new ReportSection("summary", "Summary", blocks);
    }

    private static string MeanStd(double mean, double? std) => std is { } s ? $"{Num(mean)} ± {Num(s)}" : $"{Num(mean)} (one run: no spread)";

    private static IEnumerable<ReportSection> Pillars(RunManifest run)
    {
        var code = run.Code;
        var codeFacts = new List<(string, string)> { ("kind", code.Kind) };
        if (code.Kind == "git")
        {
            codeFacts.Add(("commit", code.Commit ?? "–"));
            codeFacts.Add(("branch", code.Branch ?? "–"));
            codeFacts.Add(("remote", code.Remote ?? "–"));
            codeFacts.Add(("uncommitted changes", code.Dirty ? "yes" : "no"));
            codeFacts.Add(("patch", code.Diff is null ? "–" : $"sha256 {code.Diff.Sha256} ({Bytes(code.Diff.Size)})"));
        }
        else
        {
            codeFacts.Add(("tree listing", code.Tree is null ? "–" : $"sha256 {code.Tree.Sha256}"));
            codeFacts.Add(("files", Int(code.FileCount ?? 0)));
        }

        if (code.Note is not null)
        {
            codeFacts.Add(("note", code.Note));
        }

        var codeBlocks = new List<ReportBlock> { new ReportBlock.Paragraph(Code(code)), new ReportBlock.Facts(codeFacts) };
        if (code.Changes.Count > 0)
        {
            codeBlocks.Add(new ReportBlock.Subheading("Uncommitted changes (in the patch)"));
            codeBlocks.Add(Table(["path", "status"], code.Changes.Select(c => (IReadOnlyList<string>)[c.Path, c.Status]), 0));
        }

        if (code.NotCaptured.Count > 0)
        {
            codeBlocks.Add(new ReportBlock.Subheading("Left out of the patch"));
            codeBlocks.Add(Table(["path", "why"], code.NotCaptured.Select(c => (IReadOnlyList<string>)[c.Path, c.Status]), 0));
        }

        yield return new ReportSection("code", "Code", codeBlocks);

        var dataBlocks = new List<ReportBlock>();
        dataBlocks.Add(run.Deps.Count == 0 ? new ReportBlock.Paragraph("No inputs were declared (--dep).") : Artifacts(run.Deps));
        dataBlocks.Add(new ReportBlock.Subheading("Outputs"));
        dataBlocks.Add(run.Outputs.Count == 0 ? new ReportBlock.Paragraph("No outputs were declared (--out).") : Artifacts(run.Outputs));
        if (run.ParamsFiles.Count > 0)
        {
            dataBlocks.Add(new ReportBlock.Subheading("Parameter files"));
            dataBlocks.Add(Artifacts(run.ParamsFiles));
        }

        yield return new ReportSection("data", "Data", dataBlocks);

        var env = run.Environment;
        var envFacts = new List<(string, string)>
        {
            ("host", env.Hostname ?? "–"),
            ("OS", Os(env)),
            ("kernel", env.Kernel ?? "–"),
            ("architecture", env.Architecture ?? "–"),
            ("CPU", Cpu(env)),
            ("CPU flags", env.Cpu is null || env.Cpu.Flags.Count == 0 ? "–" : string.Join(' ', env.Cpu.Flags)),
            ("memory", Bytes(env.MemoryBytes)),
            ("GPU", env.Gpu.Present ? string.Join("; ", env.Gpu.Devices.Select(d => d.MemoryTotal is null ? d.Name : $"{d.Name} ({d.MemoryTotal})")) + $" (driver {env.Gpu.Driver ?? "?"}, CUDA {env.Gpu.Cuda ?? "?"})" : $"none ({env.Gpu.Note ?? "not present"})"),
            ("container", env.Container.Inside ? $"{env.Container.Engine ?? "yes"} {env.Container.Id}".Trim() : "no"),
            ("locale", env.Locale ?? "–"),
            ("time zone", env.TimeZone ?? "–"),
            ("Python", Python(env)),
        };
        var envBlocks = new List<ReportBlock> { new ReportBlock.Facts(envFacts) };
        if (env.Variables.Count > 0)
        {
            envBlocks.Add(new ReportBlock.Subheading("Result-affecting variables"));
            envBlocks.Add(Table(["variable", "value"], env.Variables.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => (IReadOnlyList<string>)[v.Key, v.Value]), 0, 1));
        }

        if (env.Python is { Packages.Count: > 0 } python)
        {
            envBlocks.Add(new ReportBlock.Subheading(string.Create(Invariant, $"Python packages ({python.Packages.Count})")));
            // Three packages a row: a full environment has hundreds, and a long two-column table buries the rest.
            var packages = python.Packages.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
            var rows = packages.Chunk(3).Select(chunk => (IReadOnlyList<string>)[.. chunk.SelectMany(p => new[] { p.Key, p.Value }), .. Enumerable.Repeat(string.Empty, 2 * (3 - chunk.Length))]);
            envBlocks.Add(Table(["package", "version", "package", "version", "package", "version"], rows, 0, 1, 2, 3, 4, 5));
        }

        if (env.Unknown.Count > 0)
        {
            envBlocks.Add(new ReportBlock.Subheading("Probes that could not tell"));
            envBlocks.Add(Table(["probe", "why"], env.Unknown.OrderBy(u => u.Key, StringComparer.Ordinal).Select(u => (IReadOnlyList<string>)[u.Key, u.Value])));
        }

        yield return new ReportSection("environment", "Environment", envBlocks);
    }

    private static ReportBlock.Table Artifacts(IReadOnlyList<ArtifactRecord> artifacts) =>
        Table(["path", "kind", "sha256", "size", "cached"], artifacts.Select(a => (IReadOnlyList<string>)[a.Path, a.Kind.ToString().ToLowerInvariant() + (a.Files is { } f ? string.Create(Invariant, $" ({f} files)") : string.Empty), a.Sha256 ?? "–", Bytes(a.Size), a.Cached ? "yes" : "no"]), 0, 2);

    private static ReportSection Parameters(RunManifest run)
    {
        var blocks = new List<ReportBlock>
        {
            new ReportBlock.Facts(
            [
                ("seed", Seed(run)),
                ("determinism profile", run.Determinism.Enabled ? "on (--deterministic)" : "off"),
                ("command as run", string.Join(' ', run.Execution.Command)),
                ("working folder", run.Execution.WorkingDir),
            ]),
        };
        blocks.Add(run.Params.Count == 0
            ? new ReportBlock.Paragraph("No parameters were recorded.")
            : Table(["parameter", "value"], run.Params.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (IReadOnlyList<string>)[p.Key, p.Value]), 0));
        if (run.Determinism.Variables.Count > 0)
        {
            blocks.Add(new ReportBlock.Subheading("Variables repro set"));
            blocks.Add(Table(["variable", "value"], run.Determinism.Variables.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => (IReadOnlyList<string>)[v.Key, v.Value]), 0, 1));
        }

        return new ReportSection("parameters", "Parameters and seed", blocks);
    }

    private static ReportSection Metrics(RunManifest run)
    {
        var blocks = new List<ReportBlock>();
        var keys = run.Metrics.Values.Keys.Union(run.Metrics.Steps.Keys).Order(StringComparer.Ordinal).ToList();
        if (keys.Count == 0)
        {
            blocks.Add(new ReportBlock.Paragraph(run.Kind == "study" ? "The study's metrics are its seeds' metrics: see the statistics below." : "No metrics were recorded."));
            return new ReportSection("metrics", "Metrics", blocks);
        }

        blocks.Add(Table(["metric", "final value", "steps", "first", "min", "max"], keys.Select(k =>
        {
            var steps = run.Metrics.Steps.GetValueOrDefault(k) ?? [];
            var finite = steps.Where(s => double.IsFinite(s.Value)).ToList();
            return (IReadOnlyList<string>)
            [
                k,
                run.Metrics.Values.TryGetValue(k, out var value) ? Num(value) : "–",
                Int(steps.Count),
                steps.Count > 0 ? Num(steps[0].Value) : "–",
                finite.Count > 0 ? Num(finite.Min(s => s.Value)) : "–",
                finite.Count > 0 ? Num(finite.Max(s => s.Value)) : "–",
            ];
        }), 0));
        foreach (var (key, steps) in run.Metrics.Steps.OrderBy(s => s.Key, StringComparer.Ordinal).Where(s => s.Value.Count > 1))
        {
            blocks.Add(new ReportBlock.Chart($"{key} by step", SvgChart.Steps(key, steps)));
        }

        return new ReportSection("metrics", "Metrics", blocks);
    }

    private static ReportSection Study(StudyRecord study)
    {
        var blocks = new List<ReportBlock>
        {
            Table(["metric", "n", "mean ± std", "std error", "95% t-interval", "95% bootstrap", "median", "min", "max", "CV"], study.Statistics.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s =>
            {
                var v = s.Value;
                return (IReadOnlyList<string>)
                [
                    s.Key, Int(v.N), MeanStd(v.Mean, v.StdDev), Num(v.StdError),
                    v.TInterval is { } t ? $"{Num(t.Low)} – {Num(t.High)}" : "–",
                    v.BootstrapInterval is { } b ? $"{Num(b.Low)} – {Num(b.High)}" : "–",
                    Num(v.Median), Num(v.Min), Num(v.Max), Num(v.CoefficientOfVariation),
                ];
            }), 0),
        };
        foreach (var (key, summary) in study.Statistics.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var values = study.Children.Where(c => c.Status == RunStatus.Ok && c.Metrics.ContainsKey(key)).Select(c => (c.Seed, c.Metrics[key])).ToList();
            blocks.Add(new ReportBlock.Chart($"{key} over {Int(values.Count)} seeds: each dot a seed, the line the mean, the band ± one standard deviation, the bracket the 95% t-interval", SvgChart.Seeds(key, values, summary)));
            foreach (var note in summary.Notes)
            {
                blocks.Add(new ReportBlock.Paragraph($"{key}: {note}"));
            }
        }

        var metricKeys = study.Children.SelectMany(c => c.Metrics.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        blocks.Add(new ReportBlock.Subheading("Seeds"));
        blocks.Add(Table(["seed", "run", "status", "exit", .. metricKeys], study.Children.Select(c => (IReadOnlyList<string>)
        [
            Int(c.Seed), c.RunId, c.Status.ToString().ToLowerInvariant(), Int(c.ExitCode),
            .. metricKeys.Select(k => c.Metrics.TryGetValue(k, out var value) ? Num(value) : "–"),
        ]), 1));
        if (study.Claims.Count > 0)
        {
            blocks.Add(new ReportBlock.Subheading("Claims"));
            blocks.Add(new ReportBlock.List(study.Claims.Select(c => $"{c.Key} = {Num(c.Placement.Claim)}: {c.Placement.Message}").ToList(), false));
        }

        blocks.Add(new ReportBlock.Paragraph($"Bootstrap: {study.Bootstrap}"));
        return new ReportSection("study", "Seed study", blocks);
    }

    private static IEnumerable<ReportSection> Verification(VerificationReport v)
    {
        var blocks = new List<ReportBlock>
        {
            new ReportBlock.Paragraph($"Execution: {Verdict(v.Execution.Verdict)}. {v.Execution.Detail}"),
        };
        blocks.Add(new ReportBlock.Subheading("Outputs"));
        blocks.Add(v.Outputs.Count == 0
            ? new ReportBlock.Paragraph("No outputs were compared.")
            : Table(["path", "verdict", "comparer", "detail", "original sha256", "reproduced sha256", "max abs error", "max rel error"], v.Outputs.Select(o => (IReadOnlyList<string>)
            [
                o.Path, Verdict(o.Verdict), o.Comparer, o.Detail, o.OriginalSha256 ?? "–", o.ReproducedSha256 ?? "–", Num(o.MaxAbsError), Num(o.MaxRelError),
            ]), 0, 4, 5));
        blocks.Add(new ReportBlock.Subheading("Metrics"));
        blocks.Add(v.Metrics.Count == 0
            ? new ReportBlock.Paragraph("No metrics were compared.")
            : Table(["metric", "original", "reproduced", "delta", "tolerance", "verdict"], v.Metrics.Select(m => (IReadOnlyList<string>)
            [
                m.Key, Num(m.Original), Num(m.Reproduced), Num(m.Delta), m.Tolerance, Verdict(m.Verdict),
            ]), 0));
        if (v.Metrics.Count > 0)
        {
            blocks.Add(new ReportBlock.Chart("Deviation of each metric in units of its tolerance (|reproduced − original| / (atol + rtol·|original|)); past the line is outside tolerance", SvgChart.Deviations(v.Metrics)));
        }

        blocks.Add(new ReportBlock.Subheading("Printed text"));
        var printed = v.Printed.Where(p => p.OriginalBytes > 0 || p.ReproducedBytes > 0).ToList();
        blocks.Add(printed.Count == 0
            ? new ReportBlock.Paragraph(v.Printed.Count == 0 ? "What the command printed was not compared." : "Neither run printed anything.")
            : Table(["stream", "verdict", "comparer", "detail", "original sha256", "reproduced sha256", "tolerance"], printed.Select(p => (IReadOnlyList<string>)
            [
                p.Stream, Verdict(p.Verdict), p.Comparer, p.Detail, p.OriginalSha256 ?? "–", p.ReproducedSha256 ?? "–", p.Verdict == Repro.Model.Verdicts.Verdict.Identical ? "–" : p.Tolerance ?? "–",
            ]), 0, 4, 5));
        var lines = printed.SelectMany(p => p.Lines.Select(l => (p.Stream, Line: l))).ToList();
        if (lines.Count > 0)
        {
            blocks.Add(Table(["stream", "line", "judged", "original", "reproduced"], lines.Select(x => (IReadOnlyList<string>)
            [
                x.Stream, Int(x.Line.Line), x.Line.Judged, x.Line.Original ?? "(end of text)", x.Line.Reproduced ?? "(end of text)",
            ]), 3, 4));
        }

        if (printed.Any(p => p.Comparer == "printed") && v.Masks.Count > 0)
        {
            blocks.Add(new ReportBlock.Paragraph("Masks in force (volatile text replaced by <name> on both sides before comparing): " + string.Join(", ", v.Masks.Select(m => m.Source == "built-in" ? m.Name : $"{m.Name} ({m.Source})")) + "."));
        }

        if (v.Compared is { Count: 0 })
        {
            blocks.Add(new ReportBlock.Paragraph("Nothing was compared: no output, no metric and no printed text. Only the exit code matched, which is not a reproduction."));
        }

        if (v.Inputs.Count > 0)
        {
            blocks.Add(new ReportBlock.Subheading("Inputs checked (in place)"));
            blocks.Add(Table(["path", "recorded sha256", "sha256 now", "verdict"], v.Inputs.Select(i => (IReadOnlyList<string>)[i.Path, i.Recorded ?? "–", i.Current ?? "–", Verdict(i.Verdict)]), 0, 1, 2));
        }

        blocks.Add(new ReportBlock.Facts(
        [
            ("re-runs", string.Join(", ", v.ReproductionRuns)),
            ("non-determinism here", v.NondeterministicHere is { } n ? (n ? "yes: the re-runs disagreed" : "no: the re-runs agreed") : "not tested (one re-run)"),
        ]));
        yield return new ReportSection("verification", "Verification", blocks);

        var causes = new List<ReportBlock>();
        causes.Add(v.Causes.Count == 0
            ? new ReportBlock.Paragraph(v.Verdict == Repro.Model.Verdicts.Verdict.Identical ? "Nothing to explain: the result is identical." : "No difference between the recorded and the reproduced pillars was found.")
            : new ReportBlock.List(v.Causes.Select(c => $"{c.Pillar.ToString().ToLowerInvariant()}: {c.Detail}").ToList(), true));
        if (v.Nondeterminism.Count > 0)
        {
            causes.Add(new ReportBlock.Subheading("What differed between the re-runs here"));
            causes.Add(new ReportBlock.List(v.Nondeterminism, false));
        }

        if (v.Notes.Count > 0)
        {
            causes.Add(new ReportBlock.Subheading("Notes"));
            causes.Add(new ReportBlock.List(v.Notes, false));
        }

        yield return new ReportSection("causes", "Likely causes, most likely first", causes);
    }

    private static ReportSection Verifications(IReadOnlyList<VerificationReport> verifications) => new(
        "verifications",
        "Verifications",
        verifications.Count == 0
            ? [new ReportBlock.Paragraph("This run has not been verified (`repro verify RUN`).")]
            : [Table(["verification", "verified at", "verdict", "mode", "re-runs", "summary"], verifications.Select(v => (IReadOnlyList<string>)[v.Id, Time(v.VerifiedAt), Verdict(v.Verdict), v.Mode, Int(v.ReproductionRuns.Count), v.Summary]), 0)]);

    private static ReportSection Checklist(ChecklistResult checklist)
    {
        var blocks = new List<ReportBlock>
        {
            new ReportBlock.Paragraph($"Reproducibility type (Gundersen): {checklist.LevelName}. R1 Description: what ran and what it gave is recorded; R2 Code: the exact code is recoverable; R3 Data: the exact data is recoverable; R4 Experiment: code, data and environment are."),
            Table(["item", "answer", "evidence"], checklist.Items.Select(i => (IReadOnlyList<string>)[i.Title, i.Status.ToString(), i.Evidence])),
        };
        if (checklist.ToRaise.Count > 0)
        {
            blocks.Add(new ReportBlock.Subheading("What would raise the level"));
            blocks.Add(new ReportBlock.List(checklist.ToRaise, false));
        }

        return new ReportSection("checklist", "Reproducibility checklist", blocks);
    }

    private static ReportSection Records(ReportData data) => new(
        "records",
        "Records covered",
        [
            new ReportBlock.Paragraph("The SHA-256 of each stored record (canonical JSON) this report was made from; `repro show ID --json | head -c -1 | sha256sum` and `repro audit verify` check them."),
            Table(["kind", "id", "sha256"], data.Covered.Select(c => (IReadOnlyList<string>)[c.Kind, c.Id, c.Sha256]), 1, 2),
            new ReportBlock.Paragraph($"Made by {data.Generator}."),
        ]);
}
