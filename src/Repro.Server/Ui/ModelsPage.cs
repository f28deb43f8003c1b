using System.Globalization;
using System.Text;
using Repro.Interop.Models;
using static Repro.Server.Ui.Html;

namespace Repro.Server.Ui;

/// <summary>
/// <c>/models</c> and <c>/models/NAME</c>: the model registry, and every version of one model with
/// the lineage an auditor asks for (which run, which file and hash, which commit, which data,
/// which environment, which verifications), as <c>repro model show</c> gives it.
/// </summary>
internal static class ModelsPage
{
    public static string RenderList(IReadOnlyList<ModelSummary> models)
    {
        var html = new StringBuilder("<h1>Models</h1>\n");
        if (models.Count == 0)
        {
            html.Append("<p class=\"muted\">No models registered yet: <code>repro model register NAME RUN --out PATH</code> makes an output of a run version 1 of a model.</p>\n");
            return html.ToString();
        }

        Table(html, ["Model", "Versions", "Latest", "Aliases", "Updated"], models.Select(m => (IReadOnlyList<string>)
        [
            ModelLink(m.Name),
            E(Int(m.Versions)),
            $"<a href=\"{ModelUrl(m.Name)}#v{Int(m.Latest)}\">{E(Int(m.Latest))}</a>",
            Aliases(m.Name, m.Aliases),
            E(Time(m.UpdatedAt)),
        ]), "models");
        return html.ToString();
    }

    /// <summary>One model, newest version first. <paramref name="versions"/> are the registry's, each with what the store says of its run now.</summary>
    public static string RenderModel(string name, IReadOnlyList<ModelVersionView> versions)
    {
        var html = new StringBuilder();
        html.Append("<h1>Model ").Append(E(name)).Append("</h1>\n");
        var aliases = versions.SelectMany(v => v.Registered.Aliases.Select(a => (Alias: a, v.Registered.Version.Version))).OrderBy(a => a.Alias, StringComparer.Ordinal).ToList();
        Facts(html,
        [
            ("Versions", E(Int(versions.Count))),
            ("Latest", versions.Count == 0 ? "–" : $"<a href=\"#v{Int(versions[^1].Registered.Version.Version)}\">{E(Int(versions[^1].Registered.Version.Version))}</a>"),
            ("Aliases", aliases.Count == 0 ? "<span class=\"muted\">none</span>" : string.Join(" ", aliases.Select(a => $"<a href=\"#v{Int(a.Version)}\"><code>@{E(a.Alias)}</code></a> → {E(Int(a.Version))}"))),
        ]);
        html.Append("<p class=\"help\">The same answer on the command line: <code>repro model show ").Append(E(name)).Append("/VERSION</code>.</p>\n");
        foreach (var view in versions.Reverse())
        {
            Version(html, view);
        }

        return html.ToString();
    }

    private static void Version(StringBuilder html, ModelVersionView view)
    {
        var registered = view.Registered;
        var v = registered.Version;
        var number = Int(v.Version);
        html.Append("<section class=\"model-version\" id=\"v").Append(number).Append("\">\n<h2>Version ").Append(E(number));
        foreach (var alias in registered.Aliases)
        {
            html.Append(" <code class=\"alias\">@").Append(E(alias)).Append("</code>");
        }

        html.Append("</h2>\n");
        var runState = view.RunDigestNow is null
            ? "<span class=\"failed\">the run is no longer in the store</span>"
            : view.RunDigestNow == v.Run.Digest
                ? "<span class=\"ok\">unchanged since registration</span>"
                : $"<span class=\"failed\">CHANGED since registration</span> (now {Hash(view.RunDigestNow)})";
        var file = $"<code>{E(v.Output.Path)}</code> {E(v.Output.Kind.ToString().ToLowerInvariant())}, {E(Bytes(v.Output.Size))}, sha256 <code class=\"sha\">{E(v.Output.Sha256)}</code>";
        if (v.Output.Kind == Repro.Model.ArtifactKind.File && v.Output.Sha256 is not null)
        {
            file += $" · <a class=\"download\" href=\"{OutputUrl(v.Run.Id, v.Output.Path)}\">download</a>";
        }

        Facts(html,
        [
            ("Registered", E(Time(v.RegisteredAt))),
            ("Model file", file),
            ("Run", RunLink(v.Run.Id, v.Run.Name) + " " + E($"({v.Run.Kind}, {v.Run.Status}, {Time(v.Run.CreatedAt)})")),
            ("Run manifest", $"{Hash(v.Run.Digest)} {runState}"),
            ("Code", CodeCell(v.Code)),
            ("Environment", EnvironmentCell(v.Environment)),
            ("Seed", v.Seed is { } seed ? E(Int(seed)) : "<span class=\"muted\">none set</span>"),
            ("Lineage digest", $"<code>sha256:{E(registered.Digest)}</code>"),
        ]);

        html.Append("<h3>Data</h3>\n");
        if (v.Data.Count == 0)
        {
            html.Append("<p class=\"muted\">The run declared no inputs (<code>--dep</code>).</p>\n");
        }
        else
        {
            Table(html, ["Input", "Kind", "SHA-256", "Size", "Files"], v.Data.Select(d => (IReadOnlyList<string>)
            [
                $"<code>{E(d.Path)}</code>",
                E(d.Kind.ToString().ToLowerInvariant()),
                d.Sha256 is null ? "<span class=\"failed\">missing</span>" : $"<code class=\"sha\">{E(d.Sha256)}</code>",
                E(Bytes(d.Size)),
                d.Files is { } files ? E(Int(files)) : string.Empty,
            ]), "data");
        }

        if (v.Params.Count > 0 || v.Metrics.Count > 0)
        {
            html.Append("<h3>Params and metrics</h3>\n");
            Table(html, ["Name", "Value"], v.Params.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (IReadOnlyList<string>)[E("params." + p.Key), $"<code>{E(p.Value)}</code>"])
                .Concat(v.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => (IReadOnlyList<string>)[E("metrics." + m.Key), E(Full(m.Value))])));
        }

        html.Append("<h3>Verifications</h3>\n");
        var rows = v.Verifications.Select(x => (x, "at registration")).Concat(view.VerifiedSince.Select(x => (x, "after registration"))).ToList();
        if (rows.Count == 0)
        {
            html.Append("<p class=\"muted\">Not verified: <code>repro verify ").Append(E(ShortId(v.Run.Id))).Append("</code> re-runs it and says whether it reproduces.</p>\n");
        }
        else
        {
            Table(html, ["Verdict", "Verified", "Id", "Summary", "Recorded"], rows.Select(r => (IReadOnlyList<string>)
            [
                VerdictWord(r.x.Verdict),
                E(Time(r.x.VerifiedAt)),
                $"<a href=\"/runs/{Uri.EscapeDataString(v.Run.Id)}#verifications\"><code>{E(ShortId(r.x.Id))}</code></a>",
                E(r.x.Summary),
                E(r.Item2),
            ]), "verifications");
        }

        html.Append("</section>\n");
    }

    private static string CodeCell(ModelCode code)
    {
        if (code.Kind != "git")
        {
            return "not in git: working tree listing " + Hash(code.TreeSha256);
        }

        var text = new StringBuilder("git commit ").Append(code.Commit is null ? "<span class=\"muted\">(none)</span>" : $"<code class=\"sha\">{E(code.Commit)}</code>");
        if (code.Branch is not null)
        {
            text.Append(" on ").Append(E(code.Branch));
        }

        if (code.Remote is not null)
        {
            text.Append(" (<code>").Append(E(code.Remote)).Append("</code>)");
        }

        text.Append(code.Dirty
            ? "; <span class=\"partial\">dirty</span>: uncommitted changes recorded as a diff " + Hash(code.DiffSha256)
            : "; <span class=\"ok\">clean</span>");
        return text.ToString();
    }

    private static string EnvironmentCell(ModelEnvironment e)
    {
        var text = new StringBuilder();
        text.Append(E(string.Create(CultureInfo.InvariantCulture, $"Python {e.Python ?? "–"}{(e.PythonImplementation is null ? string.Empty : $" ({e.PythonImplementation})")}, {e.PackageCount} packages; {e.Os ?? "–"} {e.Architecture ?? string.Empty} on {e.Hostname ?? "–"}")));
        if (e.Container is not null)
        {
            text.Append(E($", in a container ({e.Container})"));
        }

        if (e.Packages.Count > 0)
        {
            text.Append("<br>").Append(string.Join(" ", e.Packages.Select(p => $"<code>{E(p.Key)}=={E(p.Value)}</code>")));
        }

        return text.ToString();
    }

    private static string VerdictWord(string verdict)
    {
        var name = verdict.ToLowerInvariant();
        return $"<span class=\"{E(name)}\">{E(verdict.ToUpperInvariant())}</span>";
    }

    private static string Aliases(string model, IReadOnlyDictionary<string, long> aliases) => aliases.Count == 0
        ? "<span class=\"muted\">–</span>"
        : string.Join(" ", aliases.Select(a => $"<a href=\"{ModelUrl(model)}#v{Int(a.Value)}\"><code>@{E(a.Key)}</code></a> → {E(Int(a.Value))}"));

    public static string ModelUrl(string name) => "/models/" + Uri.EscapeDataString(name);

    public static string ModelLink(string name) => $"<a href=\"{ModelUrl(name)}\">{E(name)}</a>";

    /// <summary>Where an output of a run is downloaded: its declared path, each segment escaped.</summary>
    public static string OutputUrl(string runId, string path) =>
        $"/runs/{Uri.EscapeDataString(runId)}/outputs/{string.Join('/', path.Split('/').Select(Uri.EscapeDataString))}";
}
