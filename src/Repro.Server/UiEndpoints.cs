using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Repro.Blobs.Storage;
using Repro.Checks.Audit;
using Repro.Interop.Models;
using Repro.Judging.Diffing;
using Repro.Recording;
using Repro.Server.Ui;

namespace Repro.Server;

/// <summary>The browser UI: server-rendered pages with embedded assets, no CDN, no script.</summary>
public static class UiEndpoints
{
    /// <summary>The most of a patch or log the raw views send (recorded logs are capped at 16 MiB already).</summary>
    private const int RawCap = 16 << 20;

    public static void Map(WebApplication app, ServerContext context)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(context);
        Map(app, context, context.Database is { } database ? new SearchRunsTableSource(database) : new StoreRunsTableSource(context.Runs));
    }

    internal static void Map(IEndpointRouteBuilder app, ServerContext context, IRunsTableSource table)
    {
        // The registry lives in the store beside the runs; it is opened (and its tables migrated) on the first page that needs it.
        var registry = context.Database is { } database
            ? new Lazy<Task<IModelRegistry>>(() => database.OpenModelRegistryAsync(context.Runs, context.Time, CancellationToken.None))
            : null;
        var audit = new AuditLogSource(context.Runs, context.Database?.AuditLog);
        var lastCheck = new StrongBox<AuditCheck?>();
        app.MapGet("/assets/{name}", AssetAsync);
        app.MapGet("/", (HttpContext http) => RunsAsync(http, table));
        app.MapGet("/runs/{id}", (HttpContext http, string id) => RunAsync(http, context, registry, id));
        app.MapGet("/runs/{id}/outputs/{**path}", (HttpContext http, string id, string path) => OutputAsync(http, context, id, path));
        app.MapGet("/models", (HttpContext http) => ModelsAsync(http, registry));
        app.MapGet("/models/{name}", (HttpContext http, string name) => ModelAsync(http, context, registry, name));
        app.MapGet("/runs/{id}/diff", (HttpContext http, string id) => RawAsync(http, context, id, run => run.Code.Diff?.Sha256, "patch"));
        app.MapGet("/runs/{id}/logs/{stream}", (HttpContext http, string id, string stream) => stream switch
        {
            "stdout" => RawAsync(http, context, id, run => run.Execution.Stdout.Sha256, "stdout"),
            "stderr" => RawAsync(http, context, id, run => run.Execution.Stderr.Sha256, "stderr"),
            _ => UiPage.ErrorAsync(http, StatusCodes.Status404NotFound, "Not found", "a run has two logs: stdout and stderr"),
        });
        app.MapGet("/compare", (HttpContext http) => CompareAsync(http, context));
        app.MapGet("/studies/{id}", (HttpContext http, string id) => StudyAsync(http, context, id));
        app.MapGet("/audit", (HttpContext http) => AuditAsync(http, context, audit, lastCheck));
        app.MapGet("/{**path}", (HttpContext http) => http.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal)
            ? WriteJsonAsync(http, StatusCodes.Status404NotFound, new ErrorBody("ENDPOINT_NOT_FOUND", $"no endpoint {http.Request.Path}"))
            : UiPage.ErrorAsync(http, StatusCodes.Status404NotFound, "Not found", $"there is no page {http.Request.Path}"));
    }

    private static async Task AssetAsync(HttpContext http, string name)
    {
        await using var stream = name.Contains('/', StringComparison.Ordinal) ? null : typeof(UiEndpoints).Assembly.GetManifestResourceStream("Repro.Server.Ui.Assets." + name);
        if (stream is null)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        http.Response.ContentType = Path.GetExtension(name) switch
        {
            ".css" => "text/css; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".svg" => "image/svg+xml",
            _ => "application/octet-stream",
        };
        http.Response.Headers.CacheControl = "public, max-age=3600";
        http.Response.ContentLength = stream.Length;
        await stream.CopyToAsync(http.Response.Body, http.RequestAborted);
    }

    private static async Task RunsAsync(HttpContext http, IRunsTableSource table)
    {
        var query = RunsTableQuery.Parse(http.Request.Query);
        try
        {
            var page = await table.QueryAsync(query, http.RequestAborted);
            await UiPage.WriteAsync(http, StatusCodes.Status200OK, "Runs", "/", RunsPage.Render(query, page, null));
        }
        catch (RunsFilterException ex)
        {
            await UiPage.WriteAsync(http, StatusCodes.Status400BadRequest, "Runs", "/", RunsPage.Render(query, null, "bad filter: " + ex.Message));
        }
    }

    private static async Task RunAsync(HttpContext http, ServerContext context, Lazy<Task<IModelRegistry>>? registry, string id)
    {
        var stored = await FindAsync(http, context, id);
        if (stored is null)
        {
            return;
        }

        if (stored.Manifest.Status == Repro.Model.RunStatus.Running && context.Tracking is { } tracking)
        {
            // A live MLflow run's manifest holds final values only until it is sealed; its charts come from what was logged so far.
            var live = await tracking.LiveMetricsAsync(stored.Manifest.Id, http.RequestAborted);
            if (live.Values.Count > 0 || live.Steps.Count > 0)
            {
                stored = stored with { Manifest = stored.Manifest with { Metrics = stored.Manifest.Metrics with { Values = live.Values, Steps = live.Steps } } };
            }
        }

        var verifications = await context.Runs.ListVerificationsAsync(stored.Manifest.Id, 20, http.RequestAborted);
        IReadOnlyList<(string Name, long Version)> models = registry is null ? [] : await (await registry.Value).VersionsOfRunAsync(stored.Manifest.Id, http.RequestAborted);
        var body = await RunPage.RenderAsync(stored, verifications, models, context.Cache, http.RequestAborted);
        await UiPage.WriteAsync(http, StatusCodes.Status200OK, stored.Manifest.Name ?? Html.ShortId(stored.Manifest.Id), "/", body);
    }

    private static async Task RawAsync(HttpContext http, ServerContext context, string id, Func<Repro.Model.RunManifest, string?> blob, string what)
    {
        var stored = await FindAsync(http, context, id);
        if (stored is null)
        {
            return;
        }

        var sha = blob(stored.Manifest);
        var text = sha is null ? null : await BlobText.ReadAsync(context.Cache, sha, RawCap, http.RequestAborted);
        if (text is null)
        {
            await UiPage.ErrorAsync(http, StatusCodes.Status404NotFound, "Not found", sha is null ? $"run {Html.ShortId(stored.Manifest.Id)} has no {what}" : $"the {what} of run {Html.ShortId(stored.Manifest.Id)} is not in this machine's cache: `repro data pull` fetches it");
            return;
        }

        http.Response.ContentType = "text/plain; charset=utf-8";
        http.Response.Headers.ContentSecurityPolicy = UiPage.ContentSecurityPolicy;
        await http.Response.WriteAsync(text.Value.Text, http.RequestAborted);
    }

    private static async Task CompareAsync(HttpContext http, ServerContext context)
    {
        var a = http.Request.Query["a"].ToString().Trim();
        var b = http.Request.Query["b"].ToString().Trim();
        if (a.Length == 0 || b.Length == 0)
        {
            await UiPage.WriteAsync(http, StatusCodes.Status200OK, "Compare", "/compare", ComparePage.Form(a, b, a.Length + b.Length == 0 ? null : "give two runs, A and B"));
            return;
        }

        Repro.Model.RunManifest runA, runB;
        try
        {
            runA = (await context.Runs.GetAsync(await RunResolver.ResolveAsync(context.Runs, a, http.RequestAborted), http.RequestAborted))!.Manifest;
            runB = (await context.Runs.GetAsync(await RunResolver.ResolveAsync(context.Runs, b, http.RequestAborted), http.RequestAborted))!.Manifest;
        }
        catch (ReproException ex)
        {
            await UiPage.WriteAsync(http, StatusCodes.Status404NotFound, "Compare", "/compare", ComparePage.Form(a, b, ex.Message));
            return;
        }

        var difference = await new RunDiffer(context.Cache).DiffAsync(runA, runB, http.RequestAborted);
        await UiPage.WriteAsync(http, StatusCodes.Status200OK, "Compare", "/compare", ComparePage.Render(runA, runB, difference));
    }

    private static async Task StudyAsync(HttpContext http, ServerContext context, string id)
    {
        var stored = await FindAsync(http, context, id);
        if (stored is null)
        {
            return;
        }

        if (stored.Manifest.Study is null)
        {
            await UiPage.ErrorAsync(http, StatusCodes.Status404NotFound, "Not a study", $"run {Html.ShortId(stored.Manifest.Id)} is a {stored.Manifest.Kind}, not a seed study: `repro seeds RUN -n N` makes one");
            return;
        }

        await UiPage.WriteAsync(http, StatusCodes.Status200OK, "Study " + (stored.Manifest.Name ?? Html.ShortId(stored.Manifest.Id)), "/", StudyPage.Render(stored.Manifest, stored.Digest));
    }

    /// <summary>A declared output of a run, from the cache by its recorded hash; the path from the request only picks among the run's outputs.</summary>
    private static async Task OutputAsync(HttpContext http, ServerContext context, string id, string path)
    {
        var stored = await FindAsync(http, context, id);
        if (stored is null)
        {
            return;
        }

        var run = stored.Manifest;
        var output = OutputDownload.Find(run, path);
        if (output is null)
        {
            await UiPage.ErrorAsync(http, StatusCodes.Status404NotFound, "Not found", $"run {Html.ShortId(run.Id)} declared no output '{path}'" + (run.Outputs.Count == 0 ? string.Empty : $" (its outputs: {string.Join(", ", run.Outputs.Select(o => o.Path))})"));
            return;
        }

        if (output.Kind != Repro.Model.ArtifactKind.File || output.Sha256 is null)
        {
            await UiPage.ErrorAsync(http, StatusCodes.Status404NotFound, "Not found", output.Kind == Repro.Model.ArtifactKind.Dir
                ? $"the output '{output.Path}' of run {Html.ShortId(run.Id)} is a folder: `repro data checkout` restores it"
                : $"the output '{output.Path}' of run {Html.ShortId(run.Id)} was missing when the run ended");
            return;
        }

        if (!await OutputDownload.WriteAsync(http, context.Cache, output))
        {
            await UiPage.ErrorAsync(http, StatusCodes.Status404NotFound, "Not in the cache", $"the output '{output.Path}' of run {Html.ShortId(run.Id)} (sha256 {output.Sha256[..12]}) is not in this machine's cache: `repro data pull` fetches it");
        }
    }

    private static async Task ModelsAsync(HttpContext http, Lazy<Task<IModelRegistry>>? registry)
    {
        if (registry is null)
        {
            await UiPage.ErrorAsync(http, StatusCodes.Status503ServiceUnavailable, "Models", "this server was started without the store's database, which holds the model registry");
            return;
        }

        var models = await (await registry.Value).ListAsync(http.RequestAborted);
        await UiPage.WriteAsync(http, StatusCodes.Status200OK, "Models", "/models", ModelsPage.RenderList(models));
    }

    private static async Task ModelAsync(HttpContext http, ServerContext context, Lazy<Task<IModelRegistry>>? registry, string name)
    {
        if (registry is null)
        {
            await UiPage.ErrorAsync(http, StatusCodes.Status503ServiceUnavailable, "Models", "this server was started without the store's database, which holds the model registry");
            return;
        }

        IReadOnlyList<RegisteredModelVersion> versions;
        try
        {
            versions = await (await registry.Value).ListVersionsAsync(ModelNames.RequireName(name), http.RequestAborted);
        }
        catch (ReproException ex)
        {
            await UiPage.ErrorAsync(http, StatusCodes.Status404NotFound, "Model not found", ex.Message);
            return;
        }

        if (versions.Count == 0)
        {
            await UiPage.ErrorAsync(http, StatusCodes.Status404NotFound, "Model not found", $"unknown model '{name}': see /models");
            return;
        }

        // What the store says of each version's run now: verifications made since, and whether its manifest changed.
        var views = new List<ModelVersionView>(versions.Count);
        var runs = new Dictionary<string, (IReadOnlyList<ModelVerification> Since, string? Digest)>(StringComparer.Ordinal);
        foreach (var registered in versions)
        {
            var runId = registered.Version.Run.Id;
            if (!runs.TryGetValue(runId, out var now))
            {
                var current = await context.Runs.ListVerificationsAsync(runId, 0, http.RequestAborted);
                var digest = (await context.Runs.GetAsync(runId, http.RequestAborted))?.Digest;
                now = (current.OrderBy(v => v.Report.VerifiedAt).Select(v => new ModelVerification
                {
                    Id = v.Report.Id,
                    Verdict = v.Report.Verdict.ToString().ToUpperInvariant(),
                    VerifiedAt = v.Report.VerifiedAt,
                    Summary = v.Report.Summary,
                    Digest = v.Digest,
                }).ToList(), digest);
                runs[runId] = now;
            }

            var known = registered.Version.Verifications.Select(v => v.Id).ToHashSet(StringComparer.Ordinal);
            views.Add(new ModelVersionView(registered, now.Since.Where(v => !known.Contains(v.Id)).ToList(), now.Digest));
        }

        await UiPage.WriteAsync(http, StatusCodes.Status200OK, "Model " + name, "/models", ModelsPage.RenderModel(name, views));
    }

    private static async Task AuditAsync(HttpContext http, ServerContext context, AuditLogSource audit, StrongBox<AuditCheck?> lastCheck)
    {
        var query = http.Request.Query;
        long? before = null;
        if (query.TryGetValue("before", out var text) && text.ToString().Length > 0)
        {
            if (!long.TryParse(text.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seq))
            {
                await UiPage.ErrorAsync(http, StatusCodes.Status400BadRequest, "Audit", $"before= takes an entry number, got '{text}'");
                return;
            }

            before = seq;
        }

        var (count, head) = await audit.SummaryAsync(http.RequestAborted);
        var checkNow = query["verify"].ToString() == "1" || count <= context.AuditAutoVerifyLimit;
        var check = lastCheck.Value;
        if (checkNow)
        {
            check = new AuditCheck(await AuditVerifier.VerifyAsync(context.Runs, http.RequestAborted), context.Time.GetUtcNow());
            lastCheck.Value = check;
        }

        var page = await audit.PageAsync(before, AuditPage.Shown + 1, http.RequestAborted);
        await UiPage.WriteAsync(http, StatusCodes.Status200OK, "Audit", "/audit", AuditPage.Render(count, head, page, before, check, checkNow));
    }

    /// <summary>The run an id (or prefix, or name) means; else writes the 404 page and returns null.</summary>
    private static async Task<StoredRun?> FindAsync(HttpContext http, ServerContext context, string text)
    {
        string id;
        try
        {
            id = await RunResolver.ResolveAsync(context.Runs, text, http.RequestAborted);
        }
        catch (ReproException ex)
        {
            await UiPage.ErrorAsync(http, StatusCodes.Status404NotFound, "Run not found", ex.Message);
            return null;
        }

        var stored = await context.Runs.GetAsync(id, http.RequestAborted);
        if (stored is null)
        {
            await UiPage.ErrorAsync(http, StatusCodes.Status404NotFound, "Run not found", $"unknown run '{text}'");
        }

        return stored;
    }

    private static async Task WriteJsonAsync(HttpContext http, int status, ErrorBody body)
    {
        http.Response.StatusCode = status;
        await http.Response.WriteAsJsonAsync(body, ServerJson.Default.ErrorBody, cancellationToken: http.RequestAborted);
    }
}
