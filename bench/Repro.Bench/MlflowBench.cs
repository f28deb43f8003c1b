using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Repro.Tests.Shared;

namespace Repro.Bench;

/// <summary>
/// MLflow ingest: 1,000,000 metric points sent to a real `repro ui` (SQLite store, or a
/// PostgreSQL store with --store postgresql|both) through
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
        var rows = new List<ResultRow>();
        double? sqlite = null;
        foreach (var store in options.Stores)
        {
            var (seconds, cpu, databaseCpu) = store == BenchStore.Sqlite
                ? await IngestAsync(options, Path.Combine(temp, "mlflow-sqlite"), null, total, log, cancellationToken)
                : await IngestIntoPostgresAsync(options, Path.Combine(temp, "mlflow-postgresql"), total, log, cancellationToken);
            var name = store == BenchStore.Sqlite ? "SQLite" : "PostgreSQL";
            var peer = store == BenchStore.Postgres && sqlite is { } s
                ? string.Create(CultureInfo.InvariantCulture, $"the SQLite store: {Measure.Seconds(s)} ({total / s:N0} points/s)")
                : "- (mlflow server not installable here)";
            var cpuText = databaseCpu is { } db
                ? string.Create(CultureInfo.InvariantCulture, $"server CPU {cpu:0.0} s + PostgreSQL {db:0.0} s")
                : string.Create(CultureInfo.InvariantCulture, $"server CPU {cpu:0.0} s");
            rows.Add(new ResultRow(
                string.Create(CultureInfo.InvariantCulture, $"MLflow runs/log-batch ingest of {Measure.Count(total)} metric points ({PerRequest}/request, {Clients} clients, {name})"),
                string.Create(CultureInfo.InvariantCulture, $"{Measure.Seconds(seconds)} ({total / seconds:N0} points/s); {cpuText}"),
                peer,
                store == BenchStore.Postgres && sqlite is { } sq ? sq / seconds : null,
                string.Create(CultureInfo.InvariantCulture, $"< {TargetSeconds:0} s for 1,000,000"),
                options.Quick ? null : seconds < TargetSeconds));
            if (store == BenchStore.Sqlite)
            {
                sqlite = seconds;
            }
        }

        return rows;
    }

    private static async Task<(double Seconds, double Cpu, double? DatabaseCpu)> IngestIntoPostgresAsync(BenchOptions options, string work, int total, TextWriter log, CancellationToken cancellationToken)
    {
        await using var postgres = await PostgresProcess.StartAsync();
        var database = await postgres.CreateDatabaseAsync();
        return await IngestAsync(options, work, (postgres, database), total, log, cancellationToken);
    }

    private static async Task<(double Seconds, double Cpu, double? DatabaseCpu)> IngestAsync(BenchOptions options, string work, (PostgresProcess Server, string Database)? postgres, int total, TextWriter log, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(work);
        var variables = postgres?.Server.Variables ?? new Dictionary<string, string?>();
        using (var init = Start(options, work, variables, postgres is { } pg ? ["init", "--store", pg.Server.Url(pg.Database)] : ["init"]))
        {
            var initError = init.StandardError.ReadToEndAsync(cancellationToken);
            await init.StandardOutput.ReadToEndAsync(cancellationToken);
            await init.WaitForExitAsync(cancellationToken);
            if (init.ExitCode != 0)
            {
                throw new InvalidOperationException($"repro init failed ({init.ExitCode}): {await initError}");
            }
        }

        using var server = Start(options, work, variables, ["ui", "--port", "0"]);
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
            log.WriteLine($"[mlflow] {Measure.Count(total)} metric points via runs/log-batch ({PerRequest} a request, {Clients} clients) into repro ui at {url} ({(postgres is null ? "SQLite" : "PostgreSQL")})");
            var cpuBefore = CpuSeconds(server.Id);
            var databaseBefore = postgres is { } before ? TreeCpuSeconds(before.Server.Pid) : 0;
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
            double? databaseCpu = postgres is { } after ? TreeCpuSeconds(after.Server.Pid) - databaseBefore : null;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[mlflow] {seconds:0.0} s wall, the server used {cpu:0.0} s of CPU{(databaseCpu is { } d ? $", PostgreSQL {d:0.0} s" : string.Empty)}"));
            return (seconds, cpu, databaseCpu);
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

    /// <summary>Starts the repro under test in <paramref name="work"/> with <paramref name="variables"/> set (a PostgreSQL password, never on its command line).</summary>
    internal static Process Start(BenchOptions options, string work, IReadOnlyDictionary<string, string?> variables, string[] args)
    {
        var info = new ProcessStartInfo(options.Repro) { WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var prefix in options.ReproPrefix)
        {
            info.ArgumentList.Add(prefix);
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in variables)
        {
            info.Environment[name] = value;
        }

        return Process.Start(info) ?? throw new InvalidOperationException("cannot start repro " + args[0]);
    }

    /// <summary>User + system CPU of a process and its live children (PostgreSQL's backends), from /proc.</summary>
    private static double TreeCpuSeconds(int pid)
    {
        var total = CpuSeconds(pid);
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var child) || child == pid)
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[1] == pid.ToString(CultureInfo.InvariantCulture))
                {
                    total += CpuSeconds(child);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        return total;
    }

    /// <summary>User + system CPU of a process so far, from /proc (clock ticks of 1/100 s).</summary>
    internal static double CpuSeconds(int pid)
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
