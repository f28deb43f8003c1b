using System.Globalization;
using System.Text;
using Repro.Blobs.Storage;
using Repro.Evidence.Reports;
using Repro.Model;
using static Repro.Server.Ui.Html;

namespace Repro.Server.Ui;

/// <summary>
/// <c>/runs/{id}</c>: one run, its three pillars (code, data, environment), params, metrics with
/// step charts, outputs, the start of its logs, and every verification of it.
/// </summary>
internal static class RunPage
{
    /// <summary>How much of stdout and stderr a page shows; the whole log is one link away.</summary>
    public const int LogCap = 64 * 1024;

    public static async Task<string> RenderAsync(StoredRun stored, IReadOnlyList<StoredVerification> verifications, IReadOnlyList<(string Name, long Version)> models, ContentCache cache, CancellationToken cancellationToken)
    {
        var run = stored.Manifest;
        var id = Uri.EscapeDataString(run.Id);
        var html = new StringBuilder();
        html.Append("<h1>").Append(E(run.Name ?? "run")).Append(" <code class=\"muted\">").Append(E(ShortId(run.Id))).Append("</code></h1>\n");
        var facts = new List<(string, string)>
        {
            ("Id", $"<code>{E(run.Id)}</code>"),
            ("Kind", E(run.Kind)),
            ("Status", Status(run.Status) + E(string.Create(CultureInfo.InvariantCulture, $" (exit {run.Execution.ExitCode}{(run.Execution.Cancelled ? ", cancelled" : string.Empty)})"))),
            ("Created", E(Time(run.CreatedAt))),
            ("Command", $"<code>{E(string.Join(' ', run.Execution.Argv))}</code>"),
            ("Working folder", $"<code>{E(run.Execution.WorkingDir)}</code>"),
            ("Wall time", E(Seconds(run.Execution.WallSeconds)) + (run.Execution.CpuSeconds is { } cpu ? E($", CPU {Seconds(cpu)}") : string.Empty) + (run.Execution.PeakRssBytes is { } rss ? E($", peak RSS {Bytes(rss)}") : string.Empty)),
            ("Executor", E(run.Execution.Executor)),
            ("Seed", run.Seed is { } seed ? E(Int(seed)) : "<span class=\"muted\">none set</span>"),
            ("Digest", $"<code>sha256:{E(stored.Digest)}</code>"),
        };
        if (run.ParentId is { } parent)
        {
            facts.Add(("Part of", RunLink(parent)));
        }

        if (run.Kind == "study")
        {
            facts.Add(("Study", $"<a href=\"/studies/{id}\">seed distribution and statistics</a>"));
        }

        if (models.Count > 0)
        {
            facts.Add(("Registered as", string.Join(", ", models.Select(m => $"<a href=\"{ModelsPage.ModelUrl(m.Name)}#v{Int(m.Version)}\">{E(m.Name)} version {E(Int(m.Version))}</a>"))));
        }

        Facts(html, facts);
        foreach (var warning in run.Warnings)
        {
            html.Append("<p class=\"error\">warning: ").Append(E(warning)).Append("</p>\n");
        }

        Code(html, run);
        Data(html, run);
        Environment(html, run);
        Params(html, run);
        Metrics(html, run);
        Outputs(html, run);
        await LogsAsync(html, run, cache, cancellationToken);
        Verifications(html, verifications);
        return html.ToString();
    }

    private static void Code(StringBuilder html, RunManifest run)
    {
        var code = run.Code;
        html.Append("<h2 id=\"code\">Code</h2>\n");
        var facts = new List<(string, string)>();
        if (code.Kind == "git")
        {
            facts.Add(("Commit", code.Commit is null ? "<span class=\"muted\">(no commit)</span>" : $"<code>{E(code.Commit)}</code>"));
            facts.Add(("Branch", E(code.Branch ?? "–")));
            if (code.Remote is not null)
            {
                facts.Add(("Remote", $"<code>{E(code.Remote)}</code>"));
            }

            facts.Add(("Uncommitted changes", code.Dirty ? "<span class=\"partial\">yes</span>" : "<span class=\"ok\">no, clean</span>"));
            if (code.Diff is { } diff)
            {
                facts.Add(("Diff", $"<a href=\"/runs/{Uri.EscapeDataString(run.Id)}/diff\">patch</a> ({E(Bytes(diff.Size))}, {Hash(diff.Sha256)})"));
            }
        }
        else
        {
            facts.Add(("Kind", E(string.Create(CultureInfo.InvariantCulture, $"not under version control: {code.FileCount ?? 0} files listed"))));
            if (code.Tree is { } tree)
            {
                facts.Add(("Tree listing", Hash(tree.Sha256)));
            }
        }

        if (code.Note is not null)
        {
            facts.Add(("Note", E(code.Note)));
        }

        Facts(html, facts);
        if (code.Changes.Count > 0)
        {
            html.Append("<details><summary>").Append(E(Int(code.Changes.Count))).Append(" changed files</summary>\n");
            Table(html, ["Path", "Change"], code.Changes.Select(c => (IReadOnlyList<string>)[$"<code>{E(c.Path)}</code>", E(c.Status)]));
            html.Append("</details>\n");
        }

        if (code.NotCaptured.Count > 0)
        {
            html.Append("<details><summary>").Append(E(Int(code.NotCaptured.Count))).Append(" files left out of the diff</summary>\n");
            Table(html, ["Path", "Why"], code.NotCaptured.Select(c => (IReadOnlyList<string>)[$"<code>{E(c.Path)}</code>", E(c.Status)]));
            html.Append("</details>\n");
        }
    }

    private static void Data(StringBuilder html, RunManifest run)
    {
        html.Append("<h2 id=\"data\">Data</h2>\n");
        if (run.Deps.Count == 0)
        {
            html.Append("<p class=\"muted\">No declared inputs (<code>--dep</code>).</p>\n");
        }
        else
        {
            Artifacts(html, run.Deps);
        }

        if (run.ParamsFiles.Count > 0)
        {
            html.Append("<h3>Params files</h3>\n");
            Artifacts(html, run.ParamsFiles);
        }
    }

    /// <summary>Inputs or outputs; with <paramref name="downloadFrom"/> (a run id) each cached file links to its download.</summary>
    private static void Artifacts(StringBuilder html, IReadOnlyList<ArtifactRecord> artifacts, string? downloadFrom = null, string? cssClass = null) =>
        Table(html, ["Path", "Kind", "SHA-256", "Size", "Files", "Cached"], artifacts.Select(a => (IReadOnlyList<string>)
        [
            downloadFrom is not null && a is { Kind: ArtifactKind.File, Sha256: not null, Cached: true }
                ? $"<a class=\"download\" href=\"{ModelsPage.OutputUrl(downloadFrom, a.Path)}\"><code>{E(a.Path)}</code></a>"
                : $"<code>{E(a.Path)}</code>",
            E(a.Kind.ToString().ToLowerInvariant()),
            a.Sha256 is null ? "<span class=\"failed\">missing</span>" : Hash(a.Sha256),
            E(Bytes(a.Size)),
            a.Files is { } files ? E(Int(files)) : string.Empty,
            a.Cached ? "yes" : "no",
        ]), cssClass);

    private static void Environment(StringBuilder html, RunManifest run)
    {
        var env = run.Environment;
        html.Append("<h2 id=\"environment\">Environment</h2>\n");
        var facts = new List<(string, string)>
        {
            ("Host", E(env.Hostname ?? "–")),
            ("OS", E(env.Os is null ? "–" : $"{env.Os.Name} {env.Os.Version}".Trim())),
            ("Kernel", E(env.Kernel ?? "–")),
            ("Architecture", E(env.Architecture ?? "–")),
            ("CPU", E(env.Cpu is null ? "–" : string.Create(CultureInfo.InvariantCulture, $"{env.Cpu.Model ?? "?"}, {env.Cpu.LogicalCores} logical cores ({env.Cpu.AvailableCores} available)"))),
            ("Memory", E(Bytes(env.MemoryBytes))),
            ("GPU", E(env.Gpu.Devices.Count == 0 ? "none seen" : string.Join(", ", env.Gpu.Devices.Select(d => d.Name)))),
            ("Container", E(env.Container.Inside ? env.Container.Engine ?? "yes" : "no")),
            ("Locale / time zone", E($"{env.Locale ?? "–"} / {env.TimeZone ?? "–"}")),
            ("Python", E(env.Python is null ? "–" : $"{env.Python.Implementation} {env.Python.Version} ({env.Python.Executable})".Trim())),
        };
        Facts(html, facts);
        if (env.Python is { Packages.Count: > 0 } python)
        {
            html.Append("<details><summary>").Append(E(Int(python.Packages.Count))).Append(" Python packages</summary>\n");
            Table(html, ["Package", "Version"], python.Packages.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (IReadOnlyList<string>)[E(p.Key), $"<code>{E(p.Value)}</code>"]));
            html.Append("</details>\n");
        }

        var variables = env.Variables.Concat(run.Determinism.Variables.Where(v => !env.Variables.ContainsKey(v.Key))).OrderBy(v => v.Key, StringComparer.Ordinal).ToList();
        if (variables.Count > 0)
        {
            html.Append("<details><summary>").Append(E(Int(variables.Count))).Append(" recorded variables</summary>\n");
            Table(html, ["Variable", "Value"], variables.Select(v => (IReadOnlyList<string>)[$"<code>{E(v.Key)}</code>", $"<code>{E(v.Value)}</code>"]));
            html.Append("</details>\n");
        }

        if (env.OtherVariables.Count > 0)
        {
            html.Append("<p class=\"help\">").Append(E(Int(env.OtherVariables.Count))).Append(" other variables recorded by name only.</p>\n");
        }

        if (env.Unknown.Count > 0)
        {
            Table(html, ["Probe", "Could not tell"], env.Unknown.Select(u => (IReadOnlyList<string>)[E(u.Key), E(u.Value)]));
        }
    }

    private static void Params(StringBuilder html, RunManifest run)
    {
        html.Append("<h2 id=\"params\">Params</h2>\n");
        if (run.Params.Count == 0)
        {
            html.Append("<p class=\"muted\">No params.</p>\n");
        }
        else
        {
            Table(html, ["Param", "Value"], run.Params.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (IReadOnlyList<string>)[E(p.Key), $"<code>{E(p.Value)}</code>"]));
        }

        if (run.Tags.Count > 0)
        {
            html.Append("<h3>Tags</h3>\n");
            Table(html, ["Tag", "Value"], run.Tags.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (IReadOnlyList<string>)[E(p.Key), E(p.Value)]));
        }
    }

    private static void Metrics(StringBuilder html, RunManifest run)
    {
        html.Append("<h2 id=\"metrics\">Metrics</h2>\n");
        var keys = run.Metrics.Values.Keys.Union(run.Metrics.Steps.Keys).Order(StringComparer.Ordinal).ToList();
        if (keys.Count == 0)
        {
            html.Append("<p class=\"muted\">No metrics recorded.</p>\n");
            return;
        }

        Table(html, ["Metric", "Final", "Steps", "Min", "Max"], keys.Select(key =>
        {
            var steps = run.Metrics.Steps.TryGetValue(key, out var s) ? s : [];
            var finite = steps.Select(p => p.Value).Where(double.IsFinite).ToList();
            return (IReadOnlyList<string>)
            [
                E(key),
                run.Metrics.Values.TryGetValue(key, out var value) ? E(Full(value)) : "–",
                E(Int(steps.Count)),
                finite.Count > 0 ? E(Num(finite.Min())) : "–",
                finite.Count > 0 ? E(Num(finite.Max())) : "–",
            ];
        }));
        var charted = run.Metrics.Steps.Where(s => s.Value.Count >= 2).OrderBy(s => s.Key, StringComparer.Ordinal).ToList();
        if (charted.Count > 0)
        {
            html.Append("<div class=\"charts\">\n");
            foreach (var (key, steps) in charted)
            {
                html.Append("<figure>").Append(SvgChart.Steps(key, steps)).Append("<figcaption>").Append(E(key)).Append(" by step</figcaption></figure>\n");
            }

            html.Append("</div>\n");
        }
    }

    private static void Outputs(StringBuilder html, RunManifest run)
    {
        html.Append("<h2 id=\"outputs\">Outputs</h2>\n");
        if (run.Outputs.Count == 0)
        {
            html.Append("<p class=\"muted\">No declared outputs (<code>--out</code>).</p>\n");
            return;
        }

        Artifacts(html, run.Outputs, run.Id, "run-outputs");
        if (run.Outputs.Any(o => o is { Kind: ArtifactKind.File, Cached: true }))
        {
            html.Append("<p class=\"help\">A file's path downloads it from this machine's cache, its SHA-256 checked as it is sent.</p>\n");
        }
    }

    private static async Task LogsAsync(StringBuilder html, RunManifest run, ContentCache cache, CancellationToken cancellationToken)
    {
        html.Append("<h2 id=\"logs\">Logs</h2>\n");
        foreach (var (stream, captured) in new[] { ("stdout", run.Execution.Stdout), ("stderr", run.Execution.Stderr) })
        {
            html.Append("<h3>").Append(stream).Append("</h3>\n");
            if (captured.Sha256 is null || captured.TotalBytes == 0)
            {
                html.Append("<p class=\"muted\">empty</p>\n");
                continue;
            }

            var text = await BlobText.ReadAsync(cache, captured.Sha256, LogCap, cancellationToken);
            if (text is null)
            {
                html.Append("<p class=\"muted\">not in this machine's cache (").Append(Hash(captured.Sha256)).Append("): <code>repro data pull</code> fetches it</p>\n");
                continue;
            }

            html.Append("<pre class=\"log\" id=\"").Append(stream).Append("\">").Append(E(text.Value.Text)).Append("</pre>\n");
            var notes = new List<string>();
            if (text.Value.Cut)
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"first {LogCap / 1024} KiB shown: <a href=\"/runs/{Uri.EscapeDataString(run.Id)}/logs/{stream}\">the whole log</a>"));
            }

            if (captured.Truncated)
            {
                notes.Add(E(string.Create(CultureInfo.InvariantCulture, $"the command wrote {captured.TotalBytes:N0} bytes; repro kept {captured.Size:N0} (cap {captured.CapBytes:N0})")));
            }

            if (notes.Count > 0)
            {
                html.Append("<p class=\"help\">").Append(string.Join("; ", notes)).Append("</p>\n");
            }
        }
    }

    private static void Verifications(StringBuilder html, IReadOnlyList<StoredVerification> verifications)
    {
        html.Append("<h2 id=\"verifications\">Verifications</h2>\n");
        if (verifications.Count == 0)
        {
            html.Append("<p class=\"muted\">Not verified yet: <code>repro verify RUN</code> re-runs it and judges the result.</p>\n");
            return;
        }

        foreach (var stored in verifications)
        {
            var report = stored.Report;
            html.Append("<section class=\"verification\">\n<h3>").Append(Verdict(report.Verdict)).Append(' ').Append(E(Time(report.VerifiedAt))).Append(" <code class=\"muted\">").Append(E(ShortId(report.Id))).Append("</code></h3>\n");
            html.Append("<p>").Append(E(report.Summary)).Append("</p>\n");
            Facts(html,
            [
                ("Mode", E(report.Mode)),
                ("Tolerance", E($"{report.Tolerance} ({report.ToleranceSource})")),
                ("Execution", Verdict(report.Execution.Verdict) + " " + E(report.Execution.Detail)),
                ("Re-runs", string.Join(", ", report.ReproductionRuns.Select(r => RunLink(r)))),
                ("Deterministic here", report.NondeterministicHere switch { null => "<span class=\"muted\">one re-run</span>", true => "<span class=\"failed\">no</span>", false => "<span class=\"ok\">yes</span>" }),
                ("Digest", $"<code>sha256:{E(stored.Digest)}</code>"),
            ]);
            if (report.Outputs.Count > 0)
            {
                Table(html, ["Output", "Verdict", "Comparer", "Tolerance", "Max abs error", "Max rel error", "Max ULP", "Out of tolerance", "Agreement", "Detail"], report.Outputs.Select(o => (IReadOnlyList<string>)
                [
                    $"<code>{E(o.Path)}</code>",
                    Verdict(o.Verdict),
                    E(o.Comparer),
                    E(o.Tolerance ?? "–"),
                    E(Num(o.MaxAbsError)),
                    E(Num(o.MaxRelError)),
                    o.MaxUlp is { } ulp ? E(Int(ulp)) : "–",
                    o.OutOfTolerance is { } oot ? E(Int(oot)) : "–",
                    o.AgreementRate is { } rate ? E(string.Create(CultureInfo.InvariantCulture, $"{rate * 100:0.##}%")) : "–",
                    E(o.Detail),
                ]), "outputs");
            }

            if (report.Metrics.Count > 0)
            {
                Table(html, ["Metric", "Original", "Reproduced", "Δ", "Tolerance", "Verdict"], report.Metrics.Select(m => (IReadOnlyList<string>)
                [
                    E(m.Key), E(Full(m.Original)), E(Full(m.Reproduced)), E(Num(m.Delta)), E(m.Tolerance), Verdict(m.Verdict),
                ]), "metrics");
                if (report.Metrics.Any(m => m.Original is not null && m.Reproduced is not null))
                {
                    html.Append("<figure>").Append(SvgChart.Deviations(report.Metrics)).Append("<figcaption>deviation of each metric in units of its tolerance</figcaption></figure>\n");
                }
            }

            var printed = report.Printed.Where(p => p.OriginalBytes > 0 || p.ReproducedBytes > 0).ToList();
            if (printed.Count > 0)
            {
                Table(html, ["Printed", "Verdict", "Comparer", "Tolerance", "Lines", "Masked", "Detail"], printed.Select(p => (IReadOnlyList<string>)
                [
                    $"<code>{E(p.Stream)}</code>",
                    Verdict(p.Verdict),
                    E(p.Comparer),
                    E(p.Verdict == Repro.Model.Verdicts.Verdict.Identical ? "–" : p.Tolerance ?? "–"),
                    p.OriginalLines is { } lines ? E(string.Create(CultureInfo.InvariantCulture, $"{lines} → {p.ReproducedLines}")) : "–",
                    p.Masked.Count == 0 ? "–" : E(string.Join(", ", p.Masked.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key} ×{m.Value}")))),
                    E(p.Detail),
                ]), "printed");
                var differing = printed.SelectMany(p => p.Lines.Select(l => (p.Stream, Line: l))).ToList();
                if (differing.Count > 0)
                {
                    Table(html, ["Stream", "Line", "Judged", "Original", "Reproduced"], differing.Select(x => (IReadOnlyList<string>)
                    [
                        E(x.Stream), E(Int(x.Line.Line)), E(x.Line.Judged), $"<code>{E(x.Line.Original ?? "(end of text)")}</code>", $"<code>{E(x.Line.Reproduced ?? "(end of text)")}</code>",
                    ]), "printed-lines");
                }

                if (printed.Any(p => p.Comparer == "printed") && report.Masks.Count > 0)
                {
                    html.Append("<p class=\"muted\">Masks in force: ").Append(E(string.Join(", ", report.Masks.Select(m => m.Source == "built-in" ? m.Name : $"{m.Name} ({m.Source})")))).Append("</p>\n");
                }
            }

            if (report.Compared is { Count: 0 })
            {
                html.Append("<p class=\"failed\">Nothing was compared: no output, no metric and no printed text; only the exit code matched.</p>\n");
            }

            Causes(html, report.Causes);
            foreach (var line in report.Nondeterminism.Concat(report.Notes))
            {
                html.Append("<p class=\"help\">").Append(E(line)).Append("</p>\n");
            }

            html.Append("</section>\n");
        }
    }

    public static void Causes(StringBuilder html, IReadOnlyList<Repro.Model.Verdicts.Cause> causes)
    {
        if (causes.Count == 0)
        {
            return;
        }

        html.Append("<h3>Likely causes, most likely first</h3>\n<ol class=\"causes\">\n");
        foreach (var cause in causes)
        {
            html.Append("<li><strong>").Append(E(cause.Pillar.ToString().ToLowerInvariant())).Append("</strong>: ").Append(E(cause.Detail)).Append("</li>\n");
        }

        html.Append("</ol>\n");
    }
}
