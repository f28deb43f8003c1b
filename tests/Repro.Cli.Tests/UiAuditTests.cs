using System.Net;
using System.Text.RegularExpressions;
using Repro.Blobs.Storage;
using Repro.Model.Workspaces;
using Repro.Server;

namespace Repro.Cli.Tests;

/// <summary>
/// The audit page of a log too long to check on every visit: it pages by sequence number, says
/// when the last full check ran, checks the whole chain when asked and then finds a tampered
/// run, and flags an altered link it shows at once. Real runs by the real <c>repro</c>, a real
/// server, real SQL tampering.
/// </summary>
public sealed partial class UiAuditTests
{
    [Fact]
    public async Task A_long_audit_log_pages_checks_on_demand_and_still_finds_a_tampered_record()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        foreach (var name in new[] { "first", "second" })
        {
            var run = await dir.ReproAsync("run", "--name", name, "--", "true");
            Assert.True(run.ExitCode == 0, run.ToString());
        }

        var workspace = Workspace.Require(dir.Path);
        await using var store = await SqliteRunStore.OpenAsync(workspace.DatabasePath, CancellationToken.None);
        await using var database = await SqlDatabase.OpenSqliteAsync(workspace.DatabasePath, CancellationToken.None);
        for (var i = 0; i < 148; i++)
        {
            await store.AppendAuditAsync("report", $"report-{i}.html", new string('a', 64), DateTimeOffset.UtcNow, CancellationToken.None);
        }

        // As if the log were over the limit: no visit checks the whole chain unasked.
        var context = new ServerContext { Workspace = workspace, Runs = store, Database = database, Cache = new ContentCache(workspace.CachePath), AuditAutoVerifyLimit = 0 };
        await using var server = await ReproServer.StartAsync(new ServerOptions { Port = 0 }, context, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = server.Url };

        var page = await http.GetStringAsync("/audit");
        Assert.Contains("NOT CHECKED", Status(page), StringComparison.Ordinal);
        Assert.Contains("id=\"verify\"", page, StringComparison.Ordinal);
        Assert.Equal(100, Rows(page));
        Assert.Contains("The 100 links on this page re-hash", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/audit?before=51\"", page, StringComparison.Ordinal);
        var older = await http.GetStringAsync("/audit?before=51");
        Assert.Equal(50, Rows(older));
        Assert.DoesNotContain("id=\"older\"", older, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/audit?before=abc")).StatusCode);

        var verified = await http.GetStringAsync("/audit?verify=1");
        Assert.Contains("INTACT", Status(verified), StringComparison.Ordinal);
        Assert.Contains("150 entries", Status(verified), StringComparison.Ordinal);

        // A run's stored manifest is rewritten behind repro's back: the page keeps the last check's date, a new check finds it.
        await using (var connection = await database.OpenConnectionAsync(CancellationToken.None))
        {
            await SqlDatabase.ExecuteAsync(connection, null, "UPDATE runs SET manifest = replace(manifest, '\"first\"', '\"forged\"') WHERE name = 'first'", CancellationToken.None);
        }

        Assert.Contains("full check at", Status(await http.GetStringAsync("/audit")), StringComparison.Ordinal);
        var broken = await http.GetStringAsync("/audit?verify=1");
        Assert.Contains("BROKEN", Status(broken), StringComparison.Ordinal);
        Assert.Contains("was altered", broken, StringComparison.Ordinal);
        Assert.Contains("BROKEN", Status(await http.GetStringAsync("/audit")), StringComparison.Ordinal);

        // A link shown on the page that no longer hashes to itself is flagged without a full check.
        await using (var connection = await database.OpenConnectionAsync(CancellationToken.None))
        {
            await SqlDatabase.ExecuteAsync(connection, null, "UPDATE audit SET subject = 'forged.html' WHERE seq = 140", CancellationToken.None);
        }

        var flagged = await http.GetStringAsync("/audit");
        Assert.Contains("entries 140.", flagged, StringComparison.Ordinal);
        Assert.Contains("<span class=\"broken\">altered</span>", flagged, StringComparison.Ordinal);
    }

    private static string Status(string html) => StatusLine().Match(html) is { Success: true } match ? match.Groups[1].Value : throw new Xunit.Sdk.XunitException("no #audit-status in the page");

    private static int Rows(string html) => AuditTable().Match(html) is { Success: true } match ? Regex.Count(match.Groups[1].Value, "<tr>") : 0;

    [GeneratedRegex("<p id=\"audit-status\">(.*?)</p>", RegexOptions.Singleline)]
    private static partial Regex StatusLine();

    [GeneratedRegex("<table class=\"audit\">.*?<tbody>(.*?)</tbody>", RegexOptions.Singleline)]
    private static partial Regex AuditTable();
}
