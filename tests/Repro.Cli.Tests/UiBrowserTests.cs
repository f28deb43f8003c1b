using System.Net;
using Microsoft.Playwright;

namespace Repro.Cli.Tests;

/// <summary>
/// The web UI in a real browser: Debian's Chromium driven headless by Playwright (never a
/// downloaded browser), over a real server and real recorded runs. Every page must load without
/// a console error (a Content-Security-Policy violation is one); screenshots are kept under
/// the test output's <c>ui-screenshots/</c> folder.
/// </summary>
public sealed class UiBrowserTests(UiWorkspaceFixture workspace) : IClassFixture<UiWorkspaceFixture>, IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";

    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "ui-screenshots");

    private readonly List<string> _consoleErrors = [];
    private readonly List<string> _dialogs = [];

    // Pages asked for that answer 4xx on purpose: Chromium logs "Failed to load resource" for each.
    private readonly HashSet<string> _refusedOnPurpose = [];
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), "Debian's chromium is needed (scripts/setup installs it)");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Directory.CreateDirectory(Screenshots);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    [Fact]
    public async Task The_runs_page_lists_filters_and_sorts_the_runs()
    {
        var page = await NewPageAsync();
        var baseUrl = BaseUrl;
        var response = await page.GotoAsync(baseUrl + "/");
        Assert.Equal(200, response!.Status);
        Assert.Contains("default-src 'none'", response.Headers["content-security-policy"], StringComparison.Ordinal);
        Assert.True(await page.Locator("#runs tbody tr").CountAsync() >= 8, "three runs, a study, its three seeds and a verification run are listed");
        await Assertions.Expect(page.Locator("#runs")).ToContainTextAsync("baseline");
        await Assertions.Expect(page.Locator("#runs")).ToContainTextAsync("tuned");
        await ShotAsync(page, "runs");

        // tuned (lr 0.1) ends near acc 0.9; baseline (0.05) near 0.7: only tuned and its re-run match.
        await page.FillAsync("#filter", "params.lr = '0.1' AND metrics.acc > 0.85");
        await page.ClickAsync("form.filter button[type=submit]");
        await Assertions.Expect(page.Locator("#count")).ToContainTextAsync(" of ");
        Assert.Contains("filter=", page.Url, StringComparison.Ordinal);
        var names = await page.Locator("#runs td.name").AllInnerTextsAsync();
        Assert.Contains("tuned", names);
        Assert.All(names, name => Assert.True(name is "tuned" or "", $"'{name}' does not match the filter"));
        await ShotAsync(page, "runs-filtered");

        await page.GotoAsync(baseUrl + "/?sort=metrics.acc&dir=asc");
        await Assertions.Expect(page.Locator("#runs th a.sorted")).ToContainTextAsync("acc");
        Assert.Equal(UiWorkspaceFixture.XssName, await page.Locator("#runs td.name").First.InnerTextAsync()); // lr 0.02: the lowest acc

        await RefusedAsync(page, baseUrl + "/?filter=" + Uri.EscapeDataString("metrics.acc >> 1"), 400);
        await Assertions.Expect(page.Locator("#filter-error")).ToContainTextAsync("bad filter");
        await Assertions.Expect(page.Locator("#filter")).ToHaveValueAsync("metrics.acc >> 1");
        Assert.Empty(_consoleErrors);
    }

    [Fact]
    public async Task A_run_page_shows_the_pillars_metrics_outputs_logs_and_verifications()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(BaseUrl + "/");
        await page.ClickAsync($"#runs a[href='/runs/{workspace.BaselineId}']");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("baseline");
        foreach (var section in new[] { "#code", "#data", "#environment", "#params", "#metrics", "#outputs", "#logs", "#verifications" })
        {
            await Assertions.Expect(page.Locator(section)).ToBeVisibleAsync();
        }

        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("data.csv");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("model.txt");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("lr");
        await Assertions.Expect(page.Locator("#stdout")).ToContainTextAsync("trained on 50 rows");
        Assert.Equal(2, await page.Locator("svg.chart").CountAsync()); // acc and loss over 8 steps
        await ShotAsync(page, "run");

        await page.GotoAsync($"{BaseUrl}/runs/{workspace.TunedId}");
        await Assertions.Expect(page.Locator("section.verification h3").First).ToContainTextAsync("IDENTICAL");
        await Assertions.Expect(page.Locator("table.outputs")).ToContainTextAsync("model.txt");
        await Assertions.Expect(page.Locator("table.metrics")).ToContainTextAsync("acc");
        await ShotAsync(page, "run-verified");

        await RefusedAsync(page, BaseUrl + "/runs/0000000000000000", 404);
        await Assertions.Expect(page.Locator("p.error")).ToContainTextAsync("unknown run");
        Assert.Empty(_consoleErrors);
    }

    [Fact]
    public async Task Two_runs_picked_in_the_table_are_compared_pillar_by_pillar()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(BaseUrl + "/");
        await page.CheckAsync($"#runs input[name=a][value='{workspace.BaselineId}']");
        await page.CheckAsync($"#runs input[name=b][value='{workspace.TunedId}']");
        await page.ClickAsync("#compare");
        Assert.Contains($"a={workspace.BaselineId}", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#params + .scroll")).ToContainTextAsync("lr");
        await Assertions.Expect(page.Locator("#params + .scroll")).ToContainTextAsync("0.05");
        await Assertions.Expect(page.Locator("table.metrics")).ToContainTextAsync("acc");
        await Assertions.Expect(page.Locator("ol.causes")).ToContainTextAsync("params");
        await Assertions.Expect(page.Locator("#data + p")).ToHaveTextAsync("same");
        await ShotAsync(page, "compare");

        await RefusedAsync(page, BaseUrl + "/compare?a=baseline&b=nosuchrun", 404);
        await Assertions.Expect(page.Locator("p.error")).ToContainTextAsync("unknown run 'nosuchrun'");
        Assert.Empty(_consoleErrors);
    }

    [Fact]
    public async Task The_study_page_charts_each_seed_and_the_audit_page_says_the_chain_is_intact()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(BaseUrl + "/");
        await page.ClickAsync("#runs a[href^='/studies/']");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Study");
        await Assertions.Expect(page.Locator("table.statistics")).ToContainTextAsync("acc");
        Assert.Equal(3 * 3, await page.Locator(".charts svg.chart circle.dot").CountAsync()); // 3 seeds × (acc, loss, rows)
        await ShotAsync(page, "study");

        await page.ClickAsync("header.top a[href='/audit']");
        await Assertions.Expect(page.Locator("#audit-status")).ToContainTextAsync("INTACT");
        await Assertions.Expect(page.Locator("#audit-status")).ToContainTextAsync("checked now");
        await Assertions.Expect(page.Locator("#page-links")).ToContainTextAsync("re-hash to their recorded hashes");
        await Assertions.Expect(page.Locator("table.audit")).ToContainTextAsync("verdict");
        await Assertions.Expect(page.Locator("table.audit a[href^='/models/']").First).ToContainTextAsync(UiWorkspaceFixture.Model + "/2");
        await ShotAsync(page, "audit");
        Assert.Empty(_consoleErrors);
    }

    [Fact]
    public async Task The_models_page_lists_the_registry_and_a_model_page_shows_every_versions_lineage()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(BaseUrl + "/");
        await page.ClickAsync("header.top a[href='/models']");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Models");
        var row = page.Locator("table.models tbody tr", new() { HasTextString = UiWorkspaceFixture.Model });
        await Assertions.Expect(row).ToContainTextAsync("@champion → 2");
        await Assertions.Expect(row).ToContainTextAsync("@staging → 1");
        await Assertions.Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("2");
        await ShotAsync(page, "models");

        await page.ClickAsync($"table.models a[href='/models/{UiWorkspaceFixture.Model}']");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Model " + UiWorkspaceFixture.Model);
        Assert.Equal(["v2", "v1"], await page.Locator("section.model-version").EvaluateAllAsync<string[]>("sections => sections.map(s => s.id)"));
        var tuned = (await ManifestAsync(workspace.TunedId)).RootElement;
        var v2 = page.Locator("section#v2");
        await Assertions.Expect(v2.Locator("h2")).ToContainTextAsync("@champion");
        await Assertions.Expect(v2).ToContainTextAsync(tuned.GetProperty("outputs")[0].GetProperty("sha256").GetString()!);
        await Assertions.Expect(v2).ToContainTextAsync(tuned.GetProperty("code").GetProperty("commit").GetString()!);
        await Assertions.Expect(v2).ToContainTextAsync(tuned.GetProperty("deps")[0].GetProperty("sha256").GetString()!);
        await Assertions.Expect(v2).ToContainTextAsync("Python " + tuned.GetProperty("environment").GetProperty("python").GetProperty("version").GetString());
        await Assertions.Expect(v2).ToContainTextAsync("unchanged since registration");
        await Assertions.Expect(v2.Locator("table.verifications")).ToContainTextAsync("IDENTICAL");
        await Assertions.Expect(v2.Locator("table.verifications")).ToContainTextAsync("at registration");
        await Assertions.Expect(page.Locator("section#v1")).ToContainTextAsync("Not verified");
        await ShotAsync(page, "model");

        var download = await page.Locator("section#v2 a.download").GetAttributeAsync("href");
        Assert.Equal($"/runs/{workspace.TunedId}/outputs/model.txt", download);
        await page.ClickAsync($"section#v2 a[href='/runs/{workspace.TunedId}']");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("tuned");
        await Assertions.Expect(page.Locator("table.facts").First).ToContainTextAsync($"{UiWorkspaceFixture.Model} version 2");
        await Assertions.Expect(page.Locator("table.run-outputs a.download")).ToHaveTextAsync("model.txt");

        await RefusedAsync(page, BaseUrl + "/models/nosuchmodel", 404);
        await Assertions.Expect(page.Locator("p.error")).ToContainTextAsync("unknown model 'nosuchmodel'");
        await RefusedAsync(page, BaseUrl + "/models/" + Uri.EscapeDataString("<b>x</b>"), 404);
        await Assertions.Expect(page.Locator("p.error")).ToContainTextAsync("is not a valid model name");
        Assert.Equal(0, await page.Locator("main b").CountAsync());
        Assert.Empty(_consoleErrors);
    }

    [Fact]
    public async Task An_output_downloads_from_the_cache_by_its_recorded_hash_and_nothing_else()
    {
        using var http = new HttpClient { BaseAddress = workspace.Server.Url };
        var manifest = (await ManifestAsync(workspace.BaselineId)).RootElement;
        var sha = manifest.GetProperty("outputs")[0].GetProperty("sha256").GetString()!;
        using var response = await http.GetAsync($"/runs/{workspace.BaselineId}/outputs/model.txt");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("model.txt", response.Content.Headers.ContentDisposition.FileName);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        Assert.Equal(sha, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        Assert.StartsWith("weights ", System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);

        // The path only picks among the run's declared outputs: an input, a traversal and an unknown name are 404.
        foreach (var path in new[] { "data.csv", "..%2F..%2F.repro%2Frepro.db", "%2Fetc%2Fpasswd", "train.py" })
        {
            using var refused = await http.GetAsync($"/runs/{workspace.BaselineId}/outputs/{path}");
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.Contains("declared no output", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/runs/0000000000000000/outputs/model.txt")).StatusCode);

        // The XSS run's model file is its own blob: move it away (404), then alter it (the download breaks off).
        var xss = (await ManifestAsync(workspace.XssId)).RootElement.GetProperty("outputs")[0].GetProperty("sha256").GetString()!;
        var blob = Path.Combine(workspace.Root, ".repro", "cache", "sha256", xss[..2], xss[2..]);
        Assert.True(File.Exists(blob), blob);
        var original = await File.ReadAllBytesAsync(blob);
        File.Move(blob, blob + ".away");
        try
        {
            using var missing = await http.GetAsync($"/runs/{workspace.XssId}/outputs/model.txt");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Contains("is not in this machine&#x27;s cache", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            var altered = (byte[])original.Clone();
            altered[0] ^= 0x20;
            await File.WriteAllBytesAsync(blob, altered);
            var error = await Record.ExceptionAsync(() => http.GetByteArrayAsync($"/runs/{workspace.XssId}/outputs/model.txt"));
            Assert.True(error is HttpRequestException or IOException, $"an altered blob must not download whole: {error?.GetType().Name ?? "it did"}");
        }
        finally
        {
            File.Delete(blob);
            File.Move(blob + ".away", blob);
        }

        Assert.Equal(original, await http.GetByteArrayAsync($"/runs/{workspace.XssId}/outputs/model.txt"));

        // MLflow's artifact listing names the same outputs.
        var listing = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync($"/api/2.0/mlflow/artifacts/list?run_id={workspace.BaselineId}")).RootElement;
        var file = Assert.Single(listing.GetProperty("files").EnumerateArray());
        Assert.Equal("model.txt", file.GetProperty("path").GetString());
        Assert.False(file.GetProperty("is_dir").GetBoolean());
        Assert.Equal(bytes.Length, file.GetProperty("file_size").GetInt64());
        Assert.EndsWith($"{workspace.BaselineId}/artifacts", listing.GetProperty("root_uri").GetString(), StringComparison.Ordinal);
        using var unknown = await http.GetAsync("/api/2.0/mlflow/artifacts/list?run_id=0000000000000000");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_run_named_like_a_script_tag_shows_as_text_and_runs_nothing()
    {
        var page = await NewPageAsync();
        var baseUrl = BaseUrl;
        await page.GotoAsync(baseUrl + "/");
        await Assertions.Expect(page.Locator("#runs td.name", new() { HasTextString = UiWorkspaceFixture.XssName })).ToHaveCountAsync(1);
        await page.GotoAsync($"{baseUrl}/runs/{workspace.XssId}");
        Assert.Equal(UiWorkspaceFixture.XssName + " " + workspace.XssId[..8], (await page.Locator("h1").InnerTextAsync()).Trim());
        await page.GotoAsync(baseUrl + "/?filter=" + Uri.EscapeDataString("attributes.run_name = '<img src=x onerror=alert(2)>'"));
        await RefusedAsync(page, baseUrl + "/?filter=" + Uri.EscapeDataString("<script>alert(3)</script>"), 400);
        await Assertions.Expect(page.Locator("#filter-error")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("main script, main img").CountAsync());
        await page.WaitForTimeoutAsync(200);
        Assert.Empty(_dialogs);
        Assert.Empty(_consoleErrors);
    }

    [Fact]
    public async Task The_stylesheet_the_logs_and_the_patch_are_served_and_unknown_pages_are_404()
    {
        using var http = new HttpClient { BaseAddress = workspace.Server.Url };
        using var css = await http.GetAsync("/assets/site.css");
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType!.MediaType);
        Assert.Contains("svg.chart", await css.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/assets/missing.css")).StatusCode);

        var stdout = await http.GetStringAsync($"/runs/{workspace.BaselineId}/logs/stdout");
        Assert.StartsWith("trained on 50 rows", stdout, StringComparison.Ordinal);
        using var patch = await http.GetAsync($"/runs/{workspace.BaselineId}/diff");
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Equal("text/plain", patch.Content.Headers.ContentType!.MediaType);
        Assert.Contains("diff --git", await patch.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var page = await http.GetAsync("/no/such/page");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("there is no page /no/such/page", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var study = await http.GetAsync($"/studies/{workspace.BaselineId}");
        Assert.Equal(HttpStatusCode.NotFound, study.StatusCode);
        Assert.Contains("not a seed study", await study.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_is_asked_for_taken_once_from_the_address_and_kept_in_a_cookie()
    {
        const string Token = "0123456789abcdef0123456789abcdef";
        await workspace.StartAsync(Token);
        try
        {
            var baseUrl = workspace.Server.Url.ToString().TrimEnd('/');
            using var http = new HttpClient(new HttpClientHandler { UseCookies = false });
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(baseUrl + "/")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(baseUrl + "/?token=" + Token[..^1] + "0")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(baseUrl + "/assets/site.css")).StatusCode);
            using (var bearer = new HttpRequestMessage(HttpMethod.Get, baseUrl + "/audit"))
            {
                bearer.Headers.Authorization = new("Bearer", Token);
                Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(bearer)).StatusCode);
            }

            var page = await NewPageAsync();
            await RefusedAsync(page, baseUrl + "/", 401);
            var opened = await page.GotoAsync(baseUrl + "/?token=" + Token);
            Assert.Equal(200, opened!.Status);
            var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "repro_token");
            Assert.True(cookie.HttpOnly);
            var next = await page.GotoAsync($"{baseUrl}/runs/{workspace.BaselineId}");
            Assert.Equal(200, next!.Status);
            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("baseline");
            await Assertions.Expect(page.Locator("header.top")).ToBeVisibleAsync(); // the stylesheet came with the cookie too
            Assert.Empty(_consoleErrors);
        }
        finally
        {
            await workspace.StartAsync(null);
        }
    }

    private string BaseUrl => workspace.Server.Url.ToString().TrimEnd('/');

    private async Task<System.Text.Json.JsonDocument> ManifestAsync(string id)
    {
        var show = await ReproProcess.RunAsync(workspace.Root, "show", id, "--json");
        Assert.True(show.ExitCode == 0, show.ToString());
        return System.Text.Json.JsonDocument.Parse(show.Stdout);
    }

    private async Task<IPage> NewPageAsync()
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            var refused = message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal) && _refusedOnPurpose.Any(url => message.Location.StartsWith(url, StringComparison.Ordinal));
            if (message.Type == "error" && !refused)
            {
                _consoleErrors.Add($"{page.Url}: {message.Text}");
            }
        };
        page.PageError += (_, error) => _consoleErrors.Add($"{page.Url}: {error}");
        page.Dialog += async (_, dialog) =>
        {
            _dialogs.Add(dialog.Message);
            await dialog.DismissAsync();
        };
        return page;
    }

    /// <summary>Opens a page that must answer <paramref name="status"/>, a 4xx the console may then mention.</summary>
    private async Task RefusedAsync(IPage page, string url, int status)
    {
        _refusedOnPurpose.Add(url);
        var response = await page.GotoAsync(url);
        Assert.Equal(status, response!.Status);
    }

    private static async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });
}
