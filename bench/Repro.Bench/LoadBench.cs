using System.Globalization;
using Repro.Tests.Shared;

namespace Repro.Bench;

/// <summary>
/// The tracking server under load (`--only load`), shaped like MLflow's Go-backend benchmark: 20
/// clients at once for 30 s a phase against a real `repro ui` on loopback (SQLite, or PostgreSQL
/// with --store), timing runs/create, runs/log-batch of 500 metric points and runs/search over
/// 10,000 runs per request (p50/p95/p99); then every run and point acknowledged is counted back.
/// The peers are MLflow's published means (its Python server and its Go backend, on PostgreSQL):
/// the mlflow server cannot be installed here.
/// </summary>
public static class LoadBench
{
    private static readonly (string Operation, double Python, double Go, double TargetP50)[] Peers =
    [
        ("runs/create", 25.3, 13.7, 15),
        ("runs/log-batch", 1200, 13.1, 50),
        ("runs/search", 1004, 104, 150),
    ];

    public static async Task<IReadOnlyList<ResultRow>> RunAsync(BenchOptions options, string temp, TextWriter log, CancellationToken cancellationToken)
    {
        var plan = new TrackingLoadPlan
        {
            Clients = 20,
            PhaseDuration = TimeSpan.FromSeconds(options.Quick ? 5 : 30),
            MaxRequestsPerClient = options.Quick ? 500 : 20_000,
            SearchRuns = options.Quick ? 2_000 : 10_000,
        };
        var rows = new List<ResultRow>();
        foreach (var store in options.Stores)
        {
            var work = Path.Combine(temp, store == BenchStore.Sqlite ? "load-sqlite" : "load-postgresql");
            var (result, cpu) = store == BenchStore.Sqlite
                ? await LoadAsync(options, work, null, plan, log, cancellationToken)
                : await LoadIntoPostgresAsync(options, work, plan, log, cancellationToken);
            rows.AddRange(Rows(result, store == BenchStore.Sqlite ? "SQLite" : "PostgreSQL", plan, cpu));
        }

        return rows;
    }

    private static IEnumerable<ResultRow> Rows(TrackingLoadResult result, string store, TrackingLoadPlan plan, double cpu)
    {
        var complete = result.RunsFound == result.RunsCreated && result.PointsFound == result.PointsLogged && result.SearchRunsFound == plan.SearchRuns;
        foreach (var (summary, peer) in new[] { result.Create, result.LogBatch, result.Search }.Zip(Peers))
        {
            var what = summary.Operation switch
            {
                "runs/log-batch" => $"runs/log-batch of {plan.MetricsPerBatch} metrics",
                "runs/search" => string.Create(CultureInfo.InvariantCulture, $"runs/search over {plan.SearchRuns:N0} runs (filter + order, 100 a page)"),
                var other => other,
            };
            yield return new ResultRow(
                string.Create(CultureInfo.InvariantCulture, $"{what}, {plan.Clients} clients for {plan.PhaseDuration.TotalSeconds:0} s ({store})"),
                string.Create(CultureInfo.InvariantCulture, $"p50 {summary.P50:0.0} ms, p95 {summary.P95:0.0}, p99 {summary.P99:0.0}, mean {summary.Mean:0.0} ({summary.Requests:N0} requests, {summary.Errors} errors)"),
                string.Create(CultureInfo.InvariantCulture, $"MLflow (mean, PostgreSQL): Python server {peer.Python:N0} ms, Go backend {peer.Go:0.#} ms"),
                peer.Go / summary.Mean,
                string.Create(CultureInfo.InvariantCulture, $"p50 < {peer.TargetP50:0} ms, no errors"),
                summary.P50 < peer.TargetP50 && summary.Errors == 0 && complete);
        }

        yield return new ResultRow(
            $"counted back after the load ({store})",
            string.Create(CultureInfo.InvariantCulture, $"{result.RunsFound:N0}/{result.RunsCreated:N0} runs, {result.PointsFound:N0}/{result.PointsLogged:N0} points, {result.SearchRunsFound:N0}/{plan.SearchRuns:N0} search runs; server CPU {cpu:0.0} s"),
            "-",
            null,
            "everything acknowledged is there",
            complete);
    }

    private static async Task<(TrackingLoadResult, double)> LoadIntoPostgresAsync(BenchOptions options, string work, TrackingLoadPlan plan, TextWriter log, CancellationToken cancellationToken)
    {
        await using var postgres = await PostgresProcess.StartAsync();
        var database = await postgres.CreateDatabaseAsync();
        return await LoadAsync(options, work, (postgres, database), plan, log, cancellationToken);
    }

    private static async Task<(TrackingLoadResult, double)> LoadAsync(BenchOptions options, string work, (PostgresProcess Server, string Database)? postgres, TrackingLoadPlan plan, TextWriter log, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(work);
        var variables = postgres?.Server.Variables ?? new Dictionary<string, string?>();
        using (var init = MlflowBench.Start(options, work, variables, postgres is { } pg ? ["init", "--store", pg.Server.Url(pg.Database)] : ["init"]))
        {
            var initError = init.StandardError.ReadToEndAsync(cancellationToken);
            await init.StandardOutput.ReadToEndAsync(cancellationToken);
            await init.WaitForExitAsync(cancellationToken);
            if (init.ExitCode != 0)
            {
                throw new InvalidOperationException($"repro init failed ({init.ExitCode}): {await initError}");
            }
        }

        using var server = MlflowBench.Start(options, work, variables, ["ui", "--port", "0"]);
        try
        {
            var line = await server.StandardOutput.ReadLineAsync(cancellationToken) ?? throw new InvalidOperationException("repro ui printed nothing: " + await server.StandardError.ReadToEndAsync(cancellationToken));
            _ = server.StandardOutput.ReadToEndAsync(cancellationToken);
            _ = server.StandardError.ReadToEndAsync(cancellationToken);
            var url = new Uri(line[line.IndexOf("http://", StringComparison.Ordinal)..].Split(' ')[0]);
            log.WriteLine($"[load] repro ui at {url} ({(postgres is null ? "SQLite" : "PostgreSQL")})");
            var cpuBefore = MlflowBench.CpuSeconds(server.Id);
            var result = await TrackingLoad.RunAsync(url, plan, log, cancellationToken);
            var cpu = MlflowBench.CpuSeconds(server.Id) - cpuBefore;
            foreach (var phase in new[] { result.Create, result.LogBatch, result.Search })
            {
                log.WriteLine($"[load] {phase}{(phase.FirstError is null ? string.Empty : "; first error: " + phase.FirstError)}");
            }

            return (result, cpu);
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
}
