using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Repro.Cli.Tests;

public sealed partial class UiCommandTests
{
    private const string Python = "/usr/bin/python3";

    private static readonly Dictionary<string, string?> NoMlflow = new() { ["MLFLOW_TRACKING_URI"] = null, ["MLFLOW_RUN_ID"] = null, ["MLFLOW_TRACKING_TOKEN"] = null };

    // Logs a metric onto the run repro handed it (MLflow's runs/log-metric), says so, then does what argv[1] says.
    private const string Logging = """
        import json, os, sys, time, urllib.request
        run = os.environ["MLFLOW_RUN_ID"]
        body = json.dumps({"run_id": run, "key": "loss", "value": 0.5, "timestamp": int(time.time() * 1000), "step": 1}).encode()
        request = urllib.request.Request(os.environ["MLFLOW_TRACKING_URI"] + "/api/2.0/mlflow/runs/log-metric", data=body, headers={"Content-Type": "application/json"}, method="POST")
        urllib.request.urlopen(request).read()
        print("logged", run, flush=True)
        if sys.argv[1] == "fail":
            sys.exit(3)
        time.sleep(600)
        """;

    [Theory]
    [InlineData("--token must be at least 16 characters", "ui", "--port", "0", "--token", "short")]
    [InlineData("--host must be an IP address, got 'not-an-address'", "ui", "--port", "0", "--host", "not-an-address", "--token", "0123456789abcdef0123")]
    [InlineData("--port must be between 0 and 65535, got 70000", "ui", "--port", "70000")]
    public async Task Bad_ui_options_are_one_line_and_exit_2_before_anything_listens(string message, params string[] args)
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        var result = await dir.ReproAsync(args);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("serving", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_requests_to_repro_ui_are_all_served_and_lose_nothing()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        var first = await dir.ReproAsync("run", "--name", "first", "--", "true");
        Assert.True(first.ExitCode == 0, first.ToString());
        var firstId = (await dir.ManifestAsync("first")).GetProperty("id").GetString()!;
        using var ui = ReproProcess.Start(dir.Path, ["ui", "--port", "0"]);
        try
        {
            using var http = new HttpClient { BaseAddress = await ServingAsync(ui) };

            // Eight clients at once, each logging five MLflow runs while it reads the pages.
            const int Clients = 8, RunsEach = 5;
            var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
            await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
            {
                for (var i = 0; i < RunsEach; i++)
                {
                    var created = await PostAsync(http, "runs/create", new { experiment_id = "0", run_name = $"c{client}-{i}", start_time = 1_700_000_000_000L }, failures);
                    var id = created?.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString();
                    if (id is null)
                    {
                        continue;
                    }

                    var metrics = Enumerable.Range(0, 50).Select(step => new { key = "loss", value = 1.0 / (step + 1), timestamp = 1_700_000_000_000L + step, step }).ToArray();
                    await PostAsync(http, "runs/log-batch", new { run_id = id, metrics, @params = new[] { new { key = "client", value = client.ToString(CultureInfo.InvariantCulture) } } }, failures);
                    foreach (var page in new[] { "/", $"/runs/{id}", $"/runs/{firstId}", "/models", "/audit" })
                    {
                        using var response = await http.GetAsync(page);
                        if (response.StatusCode != HttpStatusCode.OK)
                        {
                            failures.Add($"GET {page}: {(int)response.StatusCode}");
                        }
                    }

                    await PostAsync(http, "runs/update", new { run_id = id, status = "FINISHED", end_time = 1_700_000_001_000L }, failures);
                }
            })));
            Assert.Empty(failures);

            var search = await PostAsync(http, "runs/search", new { experiment_ids = new[] { "0" }, max_results = 1000, filter = "attributes.status = 'FINISHED' AND metrics.loss < 0.1" }, failures);
            Assert.Empty(failures);
            Assert.Equal(Clients * RunsEach, search!.Value.GetProperty("runs").GetArrayLength());
        }
        finally
        {
            Stop(ui);
        }

        var audit = await dir.ReproAsync("audit", "verify");
        Assert.True(audit.ExitCode == 0, audit.ToString());
    }

    [Fact]
    public async Task A_script_failing_under_repro_run_ends_its_mlflow_run_failed_and_a_killed_repro_run_ends_killed()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        dir.Write("log.py", Logging);
        using var ui = ReproProcess.Start(dir.Path, ["ui", "--port", "0"]);
        try
        {
            using var http = new HttpClient { BaseAddress = await ServingAsync(ui) };

            // The script fails: repro records the run as always, and the MLflow run ends FAILED.
            var failed = await ReproProcess.RunWithAsync(dir.Path, NoMlflow, null, "run", "--name", "fails", "--", Python, "log.py", "fail");
            Assert.True(failed.ExitCode == 3, failed.ToString());
            var failedId = LoggedRun().Match(failed.Stdout).Groups[1].Value;
            Assert.Equal("FAILED", await MlflowStatusAsync(http, failedId));

            // repro run is killed outright with its command: repro ui notices the owner is gone and ends the run KILLED.
            using var killed = ReproProcess.Start(dir.Path, ["run", "--name", "killed", "--", Python, "log.py", "sleep"], NoMlflow);
            var line = await killed.StandardOutput.ReadLineAsync();
            var killedId = LoggedRun().Match(line ?? string.Empty).Groups[1].Value;
            Assert.True(killedId.Length > 0, $"the script did not log: {line}");
            Assert.Equal("RUNNING", await MlflowStatusAsync(http, killedId));
            killed.Kill(entireProcessTree: true);
            await killed.WaitForExitAsync();

            using var wait = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            string? note;
            do
            {
                note = await ui.StandardOutput.ReadLineAsync(wait.Token);
            }
            while (note is not null && !note.Contains(killedId[..8], StringComparison.Ordinal));
            Assert.Contains("ended it as KILLED", note, StringComparison.Ordinal);
            Assert.Equal("KILLED", await MlflowStatusAsync(http, killedId));
            var manifest = await dir.ManifestAsync(killedId);
            Assert.Equal("failed", manifest.GetProperty("status").GetString());
            Assert.Contains(manifest.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("ended without recording it", StringComparison.Ordinal));
            Assert.Equal(0.5, manifest.GetProperty("metrics").GetProperty("values").GetProperty("loss").GetDouble());
        }
        finally
        {
            Stop(ui);
        }
    }

    [GeneratedRegex("logged ([0-9a-f]+)")]
    private static partial Regex LoggedRun();

    private static async Task<Uri> ServingAsync(Process ui)
    {
        var serving = await ui.StandardOutput.ReadLineAsync();
        var match = Regex.Match(serving ?? string.Empty, "serving (http://\\S+)");
        Assert.True(match.Success, $"repro ui did not start: {serving} {(ui.HasExited ? await ui.StandardError.ReadToEndAsync() : string.Empty)}");
        return new Uri(match.Groups[1].Value);
    }

    private static async Task<string> MlflowStatusAsync(HttpClient http, string runId)
    {
        var run = await http.GetFromJsonAsync<JsonElement>($"/api/2.0/mlflow/runs/get?run_id={runId}");
        return run.GetProperty("run").GetProperty("info").GetProperty("status").GetString()!;
    }

    private static async Task<JsonElement?> PostAsync(HttpClient http, string endpoint, object body, System.Collections.Concurrent.ConcurrentBag<string> failures)
    {
        using var response = await http.PostAsJsonAsync("/api/2.0/mlflow/" + endpoint, body);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            failures.Add($"POST {endpoint}: {(int)response.StatusCode} {text}");
            return null;
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static void Stop(Process ui)
    {
        if (ui.HasExited)
        {
            return;
        }

        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", ui.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!)
        {
            kill.WaitForExit();
        }

        if (!ui.WaitForExit(30_000))
        {
            ui.Kill(entireProcessTree: true);
        }
    }
}
