using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Repro.Tests.Shared;

/// <summary>
/// A load generator for an MLflow-compatible tracking server, shaped like MLflow's own Go-backend
/// benchmark: N clients at once, each phase timed per request — runs/create, runs/log-batch of
/// 500 metric points onto the client's own run, runs/search over an experiment of 10,000 runs —
/// then everything acknowledged is counted back through the API. Loopback only; each phase is
/// bounded by time and by request count. The benchmark (bench/) and a small suite test share it.
/// </summary>
public static class TrackingLoad
{
    private const int CountPage = 10_000;

    public static async Task<TrackingLoadResult> RunAsync(Uri server, TrackingLoadPlan plan, TextWriter log, CancellationToken cancellationToken)
    {
        if (!server.IsLoopback)
        {
            throw new ArgumentException($"the load generator only drives a server on loopback, not {server}", nameof(server));
        }

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = plan.Clients * 2, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2) };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(server, "api/2.0/mlflow/"), Timeout = plan.RequestTimeout };
        var tag = Guid.NewGuid().ToString("N")[..8];
        var createExperiment = await ExperimentAsync(http, $"load-create-{tag}", cancellationToken);
        var batchExperiment = await ExperimentAsync(http, $"load-batch-{tag}", cancellationToken);
        var searchExperiment = await ExperimentAsync(http, $"load-search-{tag}", cancellationToken);

        log.WriteLine($"[load] runs/create: {plan.Clients} clients, {plan.PhaseDuration.TotalSeconds:0} s or {plan.MaxRequestsPerClient:N0} requests each");
        long created = 0;
        var create = await PhaseAsync("runs/create", plan, async (client, i, ct) =>
        {
            var (ok, body) = await PostAsync(http, "runs/create", $$"""{"experiment_id": "{{createExperiment}}", "run_name": "c{{client}}-{{i}}", "start_time": {{1700000000000L + i}}, "tags": [{"key": "mlflow.user", "value": "load"}]}""", ct);
            if (ok)
            {
                Interlocked.Increment(ref created);
            }

            return (ok, body);
        }, cancellationToken);

        var runs = new string[plan.Clients];
        for (var client = 0; client < plan.Clients; client++)
        {
            runs[client] = await CreateRunAsync(http, batchExperiment, $"batch-{client}", cancellationToken);
        }

        log.WriteLine($"[load] runs/log-batch of {plan.MetricsPerBatch} points: {plan.Clients} clients, each onto its own run");
        var points = new long[plan.Clients];
        var batch = await PhaseAsync("runs/log-batch", plan, async (client, i, ct) =>
        {
            var (ok, body) = await PostAsync(http, "runs/log-batch", Batch(runs[client], i, plan.MetricsPerBatch), ct);
            if (ok)
            {
                points[client] += plan.MetricsPerBatch;
            }

            return (ok, body);
        }, cancellationToken);

        log.WriteLine($"[load] writing {plan.SearchRuns:N0} runs with a metric and a param to search (not timed)");
        await FillAsync(http, plan, searchExperiment, cancellationToken);
        log.WriteLine($"[load] runs/search over {plan.SearchRuns:N0} runs: {plan.Clients} clients");
        var searchBody = $$"""{"experiment_ids": ["{{searchExperiment}}"], "filter": "metrics.acc > 0.5 and params.lr = '0.01'", "max_results": 100, "order_by": ["metrics.acc DESC"]}""";
        var search = await PhaseAsync("runs/search", plan, async (_, _, ct) =>
        {
            var (ok, body) = await PostAsync(http, "runs/search", searchBody, ct);
            if (ok)
            {
                using var parsed = JsonDocument.Parse(body);
                var found = parsed.RootElement.TryGetProperty("runs", out var list) ? list.GetArrayLength() : 0;
                if (found != Math.Min(100, plan.SearchRuns / 4))
                {
                    return (false, $"runs/search answered {found} runs, expected {Math.Min(100, plan.SearchRuns / 4)}");
                }
            }

            return (ok, body);
        }, cancellationToken);

        log.WriteLine("[load] counting back what was acknowledged");
        long pointsFound = 0;
        foreach (var run in runs)
        {
            for (var key = 0; key < Keys; key++)
            {
                using var history = JsonDocument.Parse(await GetAsync(http, $"metrics/get-history?run_id={run}&metric_key=m{key}", cancellationToken));
                pointsFound += history.RootElement.TryGetProperty("metrics", out var metrics) ? metrics.GetArrayLength() : 0;
            }
        }

        return new TrackingLoadResult
        {
            Create = create,
            LogBatch = batch,
            Search = search,
            RunsCreated = created,
            RunsFound = await CountRunsAsync(http, createExperiment, cancellationToken),
            PointsLogged = points.Sum(),
            PointsFound = pointsFound,
            SearchRunsFound = await CountRunsAsync(http, searchExperiment, cancellationToken),
        };
    }

    /// <summary>Metric keys a batch spreads its points over (each key gets a new step per batch).</summary>
    private const int Keys = 10;

    /// <summary>Runs every client's loop for one phase; only successful requests' times count, errors are counted apart.</summary>
    private static async Task<LatencySummary> PhaseAsync(string operation, TrackingLoadPlan plan, Func<int, int, CancellationToken, Task<(bool Ok, string Body)>> request, CancellationToken cancellationToken)
    {
        var times = new ConcurrentBag<double>();
        var errors = 0;
        string? firstError = null;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, plan.Clients).Select(client => Task.Run(
            async () =>
            {
                for (var i = 0; i < plan.MaxRequestsPerClient && clock.Elapsed < plan.PhaseDuration; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    (bool Ok, string Body) answer;
                    try
                    {
                        answer = await request(client, i, cancellationToken);
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                    {
                        answer = (false, e.Message);
                    }

                    if (answer.Ok)
                    {
                        times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    }
                    else
                    {
                        Interlocked.Increment(ref errors);
                        Interlocked.CompareExchange(ref firstError, answer.Body.Length > 300 ? answer.Body[..300] : answer.Body, null);
                    }
                }
            },
            cancellationToken)));
        return LatencySummary.Of(operation, [.. times], errors, firstError);
    }

    /// <summary>Runs to search through: a quarter match the filter (acc above 0.5 and lr 0.01), every acc different.</summary>
    private static async Task FillAsync(HttpClient http, TrackingLoadPlan plan, string experiment, CancellationToken cancellationToken)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, plan.Clients).Select(_ => Task.Run(
            async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < plan.SearchRuns)
                {
                    var run = await CreateRunAsync(http, experiment, $"s{i}", cancellationToken);
                    var acc = ((i % 2 == 0 ? 0.5 : 0.0) + ((double)(i + 1) / plan.SearchRuns / 2.0)).ToString("R", CultureInfo.InvariantCulture);
                    var lr = i % 4 < 2 ? "0.01" : "0.1";
                    var (ok, body) = await PostAsync(http, "runs/log-batch", $$"""{"run_id": "{{run}}", "metrics": [{"key": "acc", "value": {{acc}}, "timestamp": 1700000000000, "step": 0}], "params": [{"key": "lr", "value": "{{lr}}"}], "tags": [{"key": "kind", "value": "search"}]}""", cancellationToken);
                    if (!ok)
                    {
                        throw new InvalidOperationException("filling the search experiment failed: " + body);
                    }
                }
            },
            cancellationToken)));
    }

    private static async Task<long> CountRunsAsync(HttpClient http, string experiment, CancellationToken cancellationToken)
    {
        long count = 0;
        string? token = null;
        do
        {
            var page = token is null ? string.Empty : $", \"page_token\": \"{token}\"";
            var (ok, body) = await PostAsync(http, "runs/search", $$"""{"experiment_ids": ["{{experiment}}"], "max_results": {{CountPage}}{{page}}}""", cancellationToken);
            if (!ok)
            {
                throw new InvalidOperationException("counting runs failed: " + body);
            }

            using var parsed = JsonDocument.Parse(body);
            count += parsed.RootElement.TryGetProperty("runs", out var list) ? list.GetArrayLength() : 0;
            token = parsed.RootElement.TryGetProperty("next_page_token", out var next) ? next.GetString() : null;
        }
        while (token is { Length: > 0 });
        return count;
    }

    private static async Task<string> ExperimentAsync(HttpClient http, string name, CancellationToken cancellationToken)
    {
        var (ok, body) = await PostAsync(http, "experiments/create", $$"""{"name": "{{name}}"}""", cancellationToken);
        if (!ok)
        {
            throw new InvalidOperationException("experiments/create failed: " + body);
        }

        using var parsed = JsonDocument.Parse(body);
        return parsed.RootElement.GetProperty("experiment_id").GetString()!;
    }

    private static async Task<string> CreateRunAsync(HttpClient http, string experiment, string name, CancellationToken cancellationToken)
    {
        var (ok, body) = await PostAsync(http, "runs/create", $$"""{"experiment_id": "{{experiment}}", "run_name": "{{name}}", "start_time": 1700000000000}""", cancellationToken);
        if (!ok)
        {
            throw new InvalidOperationException("runs/create failed: " + body);
        }

        using var parsed = JsonDocument.Parse(body);
        return parsed.RootElement.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;
    }

    /// <summary>One batch as MLflow's client builds it for log_metrics: keys, values, ms timestamps, steps.</summary>
    private static string Batch(string run, int request, int count)
    {
        var text = new StringBuilder(80 * count).Append("{\"run_id\": \"").Append(run).Append("\", \"metrics\": [");
        for (var i = 0; i < count; i++)
        {
            var step = ((long)request * (count / Keys)) + (i / Keys);
            text.Append(i == 0 ? string.Empty : ", ")
                .Append(CultureInfo.InvariantCulture, $"{{\"key\": \"m{i % Keys}\", \"value\": {Math.Sin(step + i):R}, \"timestamp\": {1700000000000L + step}, \"step\": {step}}}");
        }

        return text.Append("], \"params\": [], \"tags\": []}").ToString();
    }

    private static async Task<(bool Ok, string Body)> PostAsync(HttpClient http, string path, string json, CancellationToken cancellationToken)
    {
        using var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(path, content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return (response.IsSuccessStatusCode, response.IsSuccessStatusCode ? body : $"{(int)response.StatusCode} {body}");
    }

    private static async Task<string> GetAsync(HttpClient http, string pathAndQuery, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(pathAndQuery, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode ? body : throw new InvalidOperationException($"GET {pathAndQuery}: {(int)response.StatusCode} {body}");
    }
}
