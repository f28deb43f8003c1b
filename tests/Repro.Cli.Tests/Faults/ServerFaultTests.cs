using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Repro.Cli.Tests.Faults;

/// <summary>
/// `repro ui` SIGKILLed while MLflow clients write to it (runs/create, runs/log-batch): every write
/// it acknowledged is there after a restart, the store checks out clean, and the restarted
/// server takes writes again.
/// </summary>
public sealed class ServerFaultTests(ITestOutputHelper output)
{
    private const int Reps = 5;
    private const int Clients = 3;
    private const int PerBatch = 100;

    [Fact]
    public async Task Server_killed_during_mlflow_writes_keeps_every_acknowledged_point_and_serves_again()
    {
        var random = new Random(4301);
        using var dir = new Workdir();
        await dir.InitAsync();
        var acknowledged = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var rep = 0; rep < Reps; rep++)
        {
            var (server, url) = await StartAsync(dir);
            using var http = new HttpClient { BaseAddress = new Uri(url + "api/2.0/mlflow/"), Timeout = TimeSpan.FromSeconds(30) };
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, Clients).Select(_ => WriteAsync(http, acknowledged, stop.Token)).ToList();
            var delay = Kill.Between(random, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(2.5));
            await Task.Delay(delay);
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            server.Dispose();
            await stop.CancelAsync();
            await Task.WhenAll(writers);
            output.WriteLine($"rep {rep}: killed after {delay.TotalMilliseconds:0} ms; {acknowledged.Count} runs, {acknowledged.Values.Sum()} points acknowledged so far");
            await StoreHealth.AssertCleanAsync(dir.Path, context: $"server rep {rep}");
        }

        Assert.True(acknowledged.Values.Sum() > 0, "no write was acknowledged before any kill");
        var (last, lastUrl) = await StartAsync(dir);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(lastUrl + "api/2.0/mlflow/") };
            foreach (var (run, points) in acknowledged)
            {
                var stored = 0;
                for (var key = 0; key < 4; key++)
                {
                    using var history = JsonDocument.Parse(await http.GetStringAsync($"metrics/get-history?run_id={run}&metric_key=m{key}"));
                    stored += history.RootElement.TryGetProperty("metrics", out var metrics) ? metrics.GetArrayLength() : 0;
                }

                // A batch can be stored and its answer lost to the kill: more is allowed, less never.
                Assert.True(stored >= points, $"run {run}: {points} points acknowledged, {stored} stored");
                Assert.True(stored <= points + PerBatch, $"run {run}: {points} points acknowledged, {stored} stored");
            }

            var run2 = await CreateRunAsync(http, CancellationToken.None);
            using var logged = await http.PostAsync("runs/log-batch", Batch(run2, 0), CancellationToken.None);
            Assert.True(logged.IsSuccessStatusCode, await logged.Content.ReadAsStringAsync());
        }
        finally
        {
            last.Kill(entireProcessTree: true);
            await last.WaitForExitAsync();
            last.Dispose();
        }
    }

    /// <summary>One client: a run, then batches onto it until the server goes; counts what was answered 200.</summary>
    private static async Task WriteAsync(HttpClient http, Dictionary<string, int> acknowledged, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var run = await CreateRunAsync(http, cancellationToken);
                lock (acknowledged)
                {
                    acknowledged[run] = 0;
                }

                for (var batch = 0; batch < 20; batch++)
                {
                    using var response = await http.PostAsync("runs/log-batch", Batch(run, batch), cancellationToken);
                    Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
                    lock (acknowledged)
                    {
                        acknowledged[run] += PerBatch;
                    }
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            // The server was killed under this request.
        }
    }

    private static async Task<string> CreateRunAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var created = await http.PostAsync("runs/create", Json("""{"experiment_id": "0", "run_name": "fault"}"""), cancellationToken);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(cancellationToken));
        using var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync(cancellationToken));
        return body.RootElement.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;
    }

    private static async Task<(Process Server, string Url)> StartAsync(Workdir dir)
    {
        var server = ReproProcess.Start(dir.Path, ["ui", "--port", "0"]);
        server.StandardInput.Close();
        var line = await server.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("repro ui printed nothing: " + await server.StandardError.ReadToEndAsync());
        _ = server.StandardOutput.ReadToEndAsync();
        _ = server.StandardError.ReadToEndAsync();
        return (server, line[line.IndexOf("http://", StringComparison.Ordinal)..].Split(' ')[0]);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static StringContent Batch(string run, int batch)
    {
        var text = new StringBuilder().Append("{\"run_id\": \"").Append(run).Append("\", \"metrics\": [");
        for (var i = 0; i < PerBatch; i++)
        {
            var step = (batch * (PerBatch / 4)) + (i / 4);
            text.Append(i == 0 ? string.Empty : ", ").Append(CultureInfo.InvariantCulture, $"{{\"key\": \"m{i % 4}\", \"value\": {step * 0.5:R}, \"timestamp\": {1700000000000L + step}, \"step\": {step}}}");
        }

        return Json(text.Append("]}").ToString());
    }
}
