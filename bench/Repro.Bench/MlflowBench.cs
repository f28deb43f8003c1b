using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Repro.Bench;

/// <summary>
/// MLflow ingest: 1,000,000 metric points sent to a real `repro ui` (SQLite store) through
/// runs/log-batch, 1000 points a request, by 4 concurrent clients on loopback, each logging onto
/// its own run; the clock runs from the first request to the last answer. No peer: the mlflow
/// server cannot be installed here.
/// </summary>
public static class MlflowBench
{
    private const double TargetSeconds = 30;
    private const int Clients = 4;
    private const int PerRequest = 1000;

    public static async Task<IReadOnlyList<ResultRow>> RunAsync(BenchOptions options, string temp, TextWriter log, CancellationToken cancellationToken)
    {
        var total = options.Quick ? 200_000 : 1_000_000;
        var work = Path.Combine(temp, "mlflow");
        Directory.CreateDirectory(work);
        await Measure.RunAsync("dotnet", [options.ReproDll, "init"], work, cancellationToken);

        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { options.ReproDll, "ui", "--port", "0" })
        {
            info.ArgumentList.Add(arg);
        }

        using var server = Process.Start(info) ?? throw new InvalidOperationException("cannot start repro ui");
        try
        {
            var line = await server.StandardOutput.ReadLineAsync(cancellationToken) ?? throw new InvalidOperationException("repro ui printed nothing: " + await server.StandardError.ReadToEndAsync(cancellationToken));
            var url = line[(line.IndexOf("http://", StringComparison.Ordinal))..].Split(' ')[0];
            using var http = new HttpClient { BaseAddress = new Uri(url + "api/2.0/mlflow/") };

            var runs = new List<string>();
            for (var i = 0; i < Clients; i++)
            {
                using var created = await http.PostAsync("runs/create", Json("""{"experiment_id": "0", "run_name": "ingest"}"""), cancellationToken);
                created.EnsureSuccessStatusCode();
                using var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync(cancellationToken));
                runs.Add(body.RootElement.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!);
            }

            var requestsPerClient = total / PerRequest / Clients;
            var bodies = runs.Select(run => Enumerable.Range(0, requestsPerClient).Select(r => Batch(run, r)).ToList()).ToList();
            log.WriteLine($"[mlflow] {Measure.Count(total)} metric points via runs/log-batch ({PerRequest} a request, {Clients} clients) into repro ui at {url}");
            var cpuBefore = CpuSeconds(server.Id);
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(bodies.Select(async batches =>
            {
                foreach (var batch in batches)
                {
                    using var response = await http.PostAsync("runs/log-batch", Json(batch), cancellationToken);
                    if (!response.IsSuccessStatusCode)
                    {
                        throw new InvalidOperationException($"log-batch: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
                    }
                }
            }));
            var seconds = clock.Elapsed.TotalSeconds;
            var cpu = CpuSeconds(server.Id) - cpuBefore;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[mlflow] {seconds:0.0} s wall, the server used {cpu:0.0} s of CPU"));
            return
            [
                new ResultRow(
                    string.Create(CultureInfo.InvariantCulture, $"MLflow runs/log-batch ingest of {Measure.Count(total)} metric points ({PerRequest}/request, {Clients} clients, SQLite)"),
                    string.Create(CultureInfo.InvariantCulture, $"{Measure.Seconds(seconds)} ({total / seconds:N0} points/s); server CPU {cpu:0.0} s"),
                    "- (mlflow server not installable here)",
                    null,
                    string.Create(CultureInfo.InvariantCulture, $"< {TargetSeconds:0} s for 1,000,000"),
                    options.Quick ? null : seconds < TargetSeconds),
            ];
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>User + system CPU of a process so far, from /proc (clock ticks of 1/100 s).</summary>
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>One request as MLflow's client builds it for log_metrics: keys, values, ms timestamps, steps.</summary>
    private static string Batch(string run, int request)
    {
        var text = new StringBuilder(64 * PerRequest).Append("{\"run_id\": \"").Append(run).Append("\", \"metrics\": [");
        for (var i = 0; i < PerRequest; i++)
        {
            var step = (long)request * (PerRequest / 4) + (i / 4);
            text.Append(i == 0 ? string.Empty : ", ")
                .Append(CultureInfo.InvariantCulture, $"{{\"key\": \"m{i % 4}\", \"value\": {Math.Sin(step + i):R}, \"timestamp\": {1700000000000L + step}, \"step\": {step}}}");
        }

        return text.Append("], \"params\": [], \"tags\": []}").ToString();
    }
}
