using System.Diagnostics;
using System.Globalization;
using System.Text;
using Repro.Blobs.Storage;
using Repro.Blobs.Storage.Search;
using Repro.Model;
using Repro.Model.Serialization;
using Repro.Storage.Sql;
using Repro.Storage.Sql.Runs;
using Repro.Storage.Sql.Search;
using Repro.Tests.Shared;

namespace Repro.Bench;

/// <summary>
/// The runs table's query: 100,000 runs (two metrics, two params, two tags each) in a SQLite
/// store (and a PostgreSQL one with --store postgresql|both), filtered by a metric, first page of 50 plus the total count, through
/// <see cref="SqlRunSearch"/>; next to
/// reading every run and filtering in memory, which is what the table would do without SQL search.
/// </summary>
public static class SearchBench
{
    private const double TargetMilliseconds = 300;

    public static async Task<IReadOnlyList<ResultRow>> RunAsync(BenchOptions options, string temp, TextWriter log, CancellationToken cancellationToken)
    {
        var rows = new List<ResultRow>();
        var sqlite = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var store in options.Stores)
        {
            if (store == BenchStore.Sqlite)
            {
                await using var database = await SqlDatabase.OpenSqliteAsync(Path.Combine(temp, "search.db"), cancellationToken);
                rows.AddRange(await MeasureAsync(options, database, "SQLite", sqlite, log, cancellationToken));
            }
            else
            {
                await using var postgres = await PostgresProcess.StartAsync();
                await using var database = await postgres.OpenAsync(await postgres.CreateDatabaseAsync());
                rows.AddRange(await MeasureAsync(options, database, "PostgreSQL", sqlite, log, cancellationToken));
            }
        }

        return rows;
    }

    /// <summary>Fills <paramref name="database"/> and times the queries; a PostgreSQL row's peer is the SQLite figure of the same query when measured.</summary>
    private static async Task<IReadOnlyList<ResultRow>> MeasureAsync(BenchOptions options, SqlDatabase database, string storeName, Dictionary<string, double> sqlite, TextWriter log, CancellationToken cancellationToken)
    {
        var count = options.Quick ? 20_000 : 100_000;
        await using (await SqlRunStore.OpenAsync(database, ownsDatabase: false, cancellationToken))
        {
            // Creates and migrates the store's tables.
        }

        log.WriteLine($"[search] inserting {count:N0} runs into {database.Display}");
        var insert = Stopwatch.StartNew();
        await FillAsync(database, count, cancellationToken);
        await SqlRunSearch.MigrateAsync(database, cancellationToken);
        if (database.Kind == SqlKind.Postgres)
        {
            // What autovacuum does on a live server within a minute of a bulk load: the planner's
            // statistics, and the visibility map that lets counts and sorts read the narrow indexes alone.
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await SqlDatabase.ExecuteAsync(connection, null, "VACUUM ANALYZE", cancellationToken);
        }

        log.WriteLine($"[search] inserted in {insert.Elapsed.TotalSeconds:0.0} s");
        var search = new SqlRunSearch(database);
        var queries = new (string Label, RunSearchQuery Query)[]
        {
            ("metrics.acc > 0.9, newest first", new RunSearchQuery { Filter = "metrics.acc > 0.9", MaxResults = 50 }),
            ("metrics.acc > 0.9 AND params.lr = '0.01', by metrics.acc DESC", new RunSearchQuery { Filter = "metrics.acc > 0.9 AND params.lr = '0.01'", OrderBy = ["metrics.acc DESC"], MaxResults = 50 }),
            ("metrics.acc > 0.999 (rare), newest first", new RunSearchQuery { Filter = "metrics.acc > 0.999", MaxResults = 50 }),
        };

        var rows = new List<ResultRow>();
        double? peer = null;
        foreach (var (label, query) in queries)
        {
            var result = await search.SearchAsync(query, cancellationToken);
            var times = new List<double>();
            for (var i = 0; i < 10; i++)
            {
                times.Add(await Measure.SecondsAsync(() => search.SearchAsync(query, cancellationToken)));
            }

            // The 20th page, reached with the tokens of the pages before it (keyset: as fast as the first).
            var token = result.NextPageToken;
            for (var page = 2; page < 20 && token is not null; page++)
            {
                token = (await search.SearchAsync(query with { PageToken = token, CountTotal = false }, cancellationToken)).NextPageToken;
            }

            var deep = token is null ? double.NaN : await Measure.SecondsAsync(() => search.SearchAsync(query with { PageToken = token }, cancellationToken));
            if (peer is null)
            {
                var peers = new List<double>();
                for (var i = 0; i < 3; i++)
                {
                    peers.Add(await Measure.SecondsAsync(() => FilterInMemoryAsync(database, cancellationToken)));
                }

                peer = Measure.Median(peers);
            }

            var median = Measure.Median(times);
            log.WriteLine($"[search] {storeName}: {label}: {median * 1000:0.0} ms (20th page {deep * 1000:0.0} ms), {result.Total:N0} matches");
            var sqliteMedian = 0.0;
            var compared = storeName != "SQLite" && sqlite.TryGetValue(label, out sqliteMedian);
            if (storeName == "SQLite")
            {
                sqlite[label] = median;
            }

            rows.Add(new ResultRow(
                string.Create(CultureInfo.InvariantCulture, $"runs table over {count:N0} runs ({storeName}): {label}; page of 50 + total count ({result.Total:N0}); median of 10"),
                string.Create(CultureInfo.InvariantCulture, $"{median * 1000:0.0} ms (20th page {deep * 1000:0.0} ms)"),
                compared
                    ? string.Create(CultureInfo.InvariantCulture, $"the SQLite store: {sqliteMedian * 1000:0.0} ms; every run read in memory: {peer.Value * 1000:0} ms")
                    : string.Create(CultureInfo.InvariantCulture, $"every run read, filtered and sorted in memory: {peer.Value * 1000:0} ms"),
                compared ? sqliteMedian / median : peer.Value / median,
                string.Create(CultureInfo.InvariantCulture, $"< {TargetMilliseconds:0} ms"),
                median * 1000 < TargetMilliseconds));
        }

        return rows;
    }

    /// <summary>Every run with its acc read into memory, filtered and sorted there: the table without SQL search.</summary>
    private static async Task FilterInMemoryAsync(SqlDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT r.id, r.name, r.status, r.created_at, m.value FROM runs r LEFT JOIN metrics m ON m.run_id = r.id AND m.key = 'acc'";
        var runs = new List<(string Id, string? Name, string Status, string Created, double? Acc)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                runs.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetDouble(4)));
            }
        }

        var matches = runs.Where(r => r.Acc > 0.9).OrderByDescending(r => r.Created, StringComparer.Ordinal).ToList();
        GC.KeepAlive(matches.Take(50).ToList());
    }

    /// <summary>
    /// Rows as the store writes them, in one transaction: the same real manifest text for every
    /// run (the search never reads it; it gives the table its real width), a minute apart.
    /// </summary>
    private static async Task FillAsync(SqlDatabase database, int count, CancellationToken cancellationToken)
    {
        var manifestText = Encoding.UTF8.GetString(CanonicalJson.Serialize(Manifest()));
        var random = new Random(8);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await database.BeginWriteAsync(connection, "bench.search", cancellationToken);
        await using var run = connection.CreateCommand();
        run.Transaction = transaction;
        run.CommandText = "INSERT INTO runs(id, name, kind, parent_id, status, exit_code, created_at, wall_seconds, seed, digest, manifest) VALUES (@id, @name, 'run', NULL, @status, 0, @created, 12.5, @seed, @digest, @manifest)";
        var id = SqlDatabase.AddParameter(run, "id", null);
        var name = SqlDatabase.AddParameter(run, "name", null);
        var status = SqlDatabase.AddParameter(run, "status", null);
        var created = SqlDatabase.AddParameter(run, "created", null);
        var seed = SqlDatabase.AddParameter(run, "seed", null);
        var digest = SqlDatabase.AddParameter(run, "digest", null);
        SqlDatabase.AddParameter(run, "manifest", manifestText);
        await using var pair = connection.CreateCommand();
        pair.Transaction = transaction;
        pair.CommandText = "INSERT INTO metrics(run_id, key, value) VALUES (@run, 'acc', @acc), (@run, 'loss', @loss); INSERT INTO params(run_id, key, value) VALUES (@run, 'lr', @lr), (@run, 'depth', @depth); INSERT INTO tags(run_id, key, value) VALUES (@run, 'team', @team), (@run, 'mlflow.user', 'ada')";
        var pairRun = SqlDatabase.AddParameter(pair, "run", null);
        var acc = SqlDatabase.AddParameter(pair, "acc", null);
        var loss = SqlDatabase.AddParameter(pair, "loss", null);
        var lr = SqlDatabase.AddParameter(pair, "lr", null);
        var depth = SqlDatabase.AddParameter(pair, "depth", null);
        var team = SqlDatabase.AddParameter(pair, "team", null);
        string[] rates = ["0.1", "0.01", "0.001"];
        string[] teams = ["credit", "fraud", "churn", "search"];
        for (var i = 0; i < count; i++)
        {
            var runId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
            id.Value = runId;
            name.Value = "experiment-" + (i % 500).ToString(CultureInfo.InvariantCulture);
            status.Value = i % 10 == 0 ? "failed" : "ok";
            created.Value = start.AddMinutes(i).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
            seed.Value = (long)i;
            digest.Value = runId + runId;
            await run.ExecuteNonQueryAsync(cancellationToken);
            pairRun.Value = runId;
            acc.Value = random.NextDouble();
            loss.Value = random.NextDouble() * 3;
            lr.Value = rates[i % rates.Length];
            depth.Value = (i % 12).ToString(CultureInfo.InvariantCulture);
            team.Value = teams[i % teams.Length];
            await pair.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static RunManifest Manifest() => new()
    {
        Id = new string('0', 32),
        Name = "experiment",
        Status = RunStatus.Ok,
        CreatedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        Code = new CodeSnapshot { Kind = "git", Commit = new string('a', 40), Branch = "main", Dirty = false },
        Deps = [new ArtifactRecord { Path = "data/train.csv", Kind = ArtifactKind.File, Sha256 = new string('b', 64), Size = 1 << 20, Cached = true }],
        Outputs = [new ArtifactRecord { Path = "model.pkl", Kind = ArtifactKind.File, Sha256 = new string('c', 64), Size = 4096, Cached = true }],
        Params = new Dictionary<string, string> { ["lr"] = "0.01", ["depth"] = "6" },
        ParamsFiles = [],
        Seed = 1,
        Determinism = new DeterminismProfile(),
        Environment = new EnvironmentSnapshot { Hostname = "bench", Python = new PythonInfo { Executable = "/usr/bin/python3", Version = "3.11.2", Packages = new Dictionary<string, string> { ["numpy"] = "1.24.2", ["scikit-learn"] = "1.2.1" } } },
        Metrics = new MetricsRecord { Values = new Dictionary<string, double> { ["acc"] = 0.9, ["loss"] = 0.3 } },
        Execution = new ExecutionRecord
        {
            Argv = ["python", "train.py"],
            Command = ["python", "train.py"],
            WorkingDir = ".",
            StartedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
            EndedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 12, TimeSpan.Zero),
            ExitCode = 0,
            Stdout = new CapturedOutput(),
            Stderr = new CapturedOutput(),
        },
        Tags = new Dictionary<string, string> { ["team"] = "credit" },
        Warnings = [],
    };
}
