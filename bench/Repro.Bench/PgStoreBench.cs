using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Repro.Blobs.Storage;
using Repro.Model;
using Repro.Recording;
using Repro.Storage.Sql;
using Repro.Storage.Sql.Runs;

namespace Repro.Bench;

/// <summary>
/// 1,000 <c>SaveAsync</c>s of a run with 10 params, 5 metrics and 100 metric steps, one after
/// another, into the SQLite store and into a throw-away PostgreSQL server on loopback (Debian's
/// binaries, trust login, started and stopped by pid here): what a save costs on each engine.
/// </summary>
public static class PgStoreBench
{
    private const int Saves = 1_000;

    public static async Task<IReadOnlyList<ResultRow>> RunAsync(BenchOptions options, string temp, TextWriter log, CancellationToken cancellationToken)
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).Order().LastOrDefault()
            : null;
        if (bin is null)
        {
            log.WriteLine("[pgstore] skipped: PostgreSQL is not installed (scripts/setup installs it)");
            return [];
        }

        var saves = options.Quick ? Saves / 4 : Saves;
        var work = Path.Combine(temp, "pgstore");
        var data = Path.Combine(work, "pg");
        Directory.CreateDirectory(data);
        var root = Environment.UserName == "root";
        Task<ProcessResult> Pg(string tool, params string[] args) => root
            ? Measure.RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(bin, tool), .. args], work, cancellationToken)
            : Measure.RunAsync(Path.Combine(bin, tool), args, work, cancellationToken);
        if (root)
        {
            await Measure.RunAsync("chown", ["-R", "postgres:postgres", work], work, cancellationToken);
        }

        await Pg("initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8");
        var port = FreePort();
        await Pg("pg_ctl", "-D", data, "-l", Path.Combine(work, "log"), "-w", "-o", $"-h 127.0.0.1 -p {port.ToString(CultureInfo.InvariantCulture)} -k {work}", "start");
        var pid = (await File.ReadAllLinesAsync(Path.Combine(data, "postmaster.pid"), cancellationToken))[0];
        try
        {
            await Pg("createdb", "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "bench");
            log.WriteLine($"[pgstore] {saves} saves into SQLite and into PostgreSQL 127.0.0.1:{port}");
            double sqlite;
            await using (var store = await SqliteRunStore.OpenAsync(Path.Combine(work, "repro.db"), cancellationToken))
            {
                sqlite = await SaveAllAsync(store, saves, cancellationToken);
            }

            double postgres;
            var url = PostgresUrl.Parse($"postgresql://postgres@127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/bench");
            await using (var store = await SqlRunStore.OpenAsync(await url.OpenAsync(_ => null, cancellationToken), ownsDatabase: true, cancellationToken))
            {
                postgres = await SaveAllAsync(store, saves, cancellationToken);
            }

            return
            [
                new ResultRow(
                    string.Create(CultureInfo.InvariantCulture, $"{Measure.Count(saves)} run saves into PostgreSQL on loopback (10 params, 5 metrics, 100 steps each)"),
                    string.Create(CultureInfo.InvariantCulture, $"{Measure.Seconds(postgres)} ({postgres * 1000 / saves:0.0} ms a save)"),
                    string.Create(CultureInfo.InvariantCulture, $"the SQLite store: {Measure.Seconds(sqlite)} ({sqlite * 1000 / saves:0.0} ms a save)"),
                    sqlite / postgres,
                    "-",
                    null),
            ];
        }
        finally
        {
            await Measure.RunAsync("kill", ["-INT", pid], work, CancellationToken.None);
            for (var i = 0; i < 300 && Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z", StringComparison.Ordinal); i++)
            {
                await Task.Delay(100, CancellationToken.None);
            }
        }
    }

    private static async Task<double> SaveAllAsync(SqlRunStore store, int saves, CancellationToken cancellationToken)
    {
        var manifests = Enumerable.Range(0, saves).Select(Manifest).ToList();
        return await Measure.SecondsAsync(async () =>
        {
            foreach (var manifest in manifests)
            {
                await store.SaveAsync(manifest, cancellationToken);
            }
        });
    }

    private static RunManifest Manifest(int index)
    {
        var now = DateTimeOffset.UtcNow;
        return new RunManifest
        {
            Id = RunId.New(),
            Name = "bench",
            Status = RunStatus.Ok,
            CreatedAt = now,
            Code = new CodeSnapshot { Kind = "tree" },
            Deps = [],
            Outputs = [],
            Params = Enumerable.Range(0, 10).ToDictionary(i => $"p{i}", i => (i * index).ToString(CultureInfo.InvariantCulture)),
            ParamsFiles = [],
            Seed = index,
            Determinism = new DeterminismProfile(),
            Environment = new EnvironmentSnapshot(),
            Metrics = new MetricsRecord
            {
                Values = Enumerable.Range(0, 5).ToDictionary(i => $"m{i}", i => i / 7.0),
                Steps = new Dictionary<string, IReadOnlyList<MetricStep>> { ["loss"] = Enumerable.Range(0, 100).Select(s => new MetricStep(s, 1.0 / (s + 1))).ToList() },
            },
            Execution = new ExecutionRecord
            {
                Argv = ["python", "train.py"],
                Command = ["python", "train.py"],
                WorkingDir = ".",
                StartedAt = now,
                EndedAt = now,
                ExitCode = 0,
                Stdout = new CapturedOutput(),
                Stderr = new CapturedOutput(),
            },
            Tags = new Dictionary<string, string> { ["team"] = "bench" },
            Warnings = [],
        };
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
