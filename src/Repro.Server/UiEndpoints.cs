using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Repro.Audit;
using Repro.Diffing;
using Repro.Runs;
using Repro.Server.Ui;
using Repro.Storage;

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
        app.MapGet("/assets/{name}", AssetAsync);
        app.MapGet("/", (HttpContext http) => RunsAsync(http, table));
        app.MapGet("/runs/{id}", (HttpContext http, string id) => RunAsync(http, context, id));
        app.MapGet("/runs/{id}/diff", (HttpContext http, string id) => RawAsync(http, context, id, run => run.Code.Diff?.Sha256, "patch"));
        app.MapGet("/runs/{id}/logs/{stream}", (HttpContext http, string id, string stream) => stream switch
        {
            "stdout" => RawAsync(http, context, id, run => run.Execution.Stdout.Sha256, "stdout"),
            "stderr" => RawAsync(http, context, id, run => run.Execution.Stderr.Sha256, "stderr"),
            _ => UiPage.ErrorAsync(http, StatusCodes.Status404NotFound, "Not found", "a run has two logs: stdout and stderr"),
        });
        app.MapGet("/compare", (HttpContext http) => CompareAsync(http, context));
        app.MapGet("/studies/{id}", (HttpContext http, string id) => StudyAsync(http, context, id));
        app.MapGet("/audit", (HttpContext http) => AuditAsync(http, context));
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

    private static async Task RunAsync(HttpContext http, ServerContext context, string id)
    {
        var stored = await FindAsync(http, context, id);
        if (stored is null)
        {
            return;
        }

        var verifications = await context.Runs.ListVerificationsAsync(stored.Manifest.Id, 20, http.RequestAborted);
        var body = await RunPage.RenderAsync(stored, verifications, context.Cache, http.RequestAborted);
        await UiPage.WriteAsync(http, StatusCodes.Status200OK, stored.Manifest.Name ?? Html.ShortId(stored.Manifest.Id), "/", body);
    }

    private static async Task RawAsync(HttpContext http, ServerContext context, string id, Func<Repro.Domain.RunManifest, string?> blob, string what)
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

        Repro.Domain.RunManifest runA, runB;
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

    private static async Task AuditAsync(HttpContext http, ServerContext context)
    {
        var result = await AuditVerifier.VerifyAsync(context.Runs, http.RequestAborted);
        var entries = await context.Runs.ReadAuditAsync(http.RequestAborted);
        await UiPage.WriteAsync(http, StatusCodes.Status200OK, "Audit", "/audit", AuditPage.Render(result, entries));
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
        await http.Response.WriteAsJsonAsync(body, ServerJson.Options, http.RequestAborted);
    }
}
