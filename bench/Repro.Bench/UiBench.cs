using System.Diagnostics;
using System.Globalization;
using Repro.Blobs.Storage;
using Repro.Model;
using Repro.Model.Serialization;
using Repro.Model.Workspaces;
using Repro.Server;
using Repro.Storage.Sql;
using Repro.Storage.Sql.Runs;
using Repro.Tests.Shared;

namespace Repro.Bench;

/// <summary>
/// The runs page and the audit page of <c>repro ui</c> over 100,000 runs in a SQLite store (and
/// a PostgreSQL one with --store postgresql|both), each run a link of the audit chain: a real
/// server on loopback, a real HTTP GET, the whole page rendered. The figure is the median request
/// time seen by the client, so it holds the server's time and a loopback round trip.
/// </summary>
public static class UiBench
{
    private const double TargetSeconds = 0.3;

    private static readonly string[] Lrs = ["0.1", "0.01", "0.001"];
    private static readonly string[] Teams = ["vision", "nlp", "tabular"];

    public static async Task<IReadOnlyList<ResultRow>> RunAsync(BenchOptions options, string temp, TextWriter log, CancellationToken cancellationToken)
    {
        var rows = new List<ResultRow>();
        var sqlite = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var store in options.Stores)
        {
            var root = Path.Combine(temp, store == BenchStore.Sqlite ? "ui-ws" : "ui-ws-postgresql");
            var (workspace, _) = Workspace.Init(root);
            if (store == BenchStore.Sqlite)
            {
                rows.AddRange(await MeasureAsync(options, workspace, () => SqlDatabase.OpenSqliteAsync(workspace.DatabasePath, cancellationToken), "SQLite", sqlite, log, cancellationToken));
            }
            else
            {
                await using var postgres = await PostgresProcess.StartAsync();
                var name = await postgres.CreateDatabaseAsync();
                rows.AddRange(await MeasureAsync(options, workspace, () => postgres.OpenAsync(name), "PostgreSQL", sqlite, log, cancellationToken));
            }
        }

        return rows;
    }

    private static async Task<IReadOnlyList<ResultRow>> MeasureAsync(BenchOptions options, Workspace workspace, Func<Task<SqlDatabase>> open, string storeName, Dictionary<string, double> sqlite, TextWriter log, CancellationToken cancellationToken)
    {
        var count = options.Quick ? 20_000 : 100_000;
        log.WriteLine($"[ui] writing {count:N0} runs with metrics, params and tags into a {storeName} store");
        var watch = Stopwatch.StartNew();
        await using (var store = await SqlRunStore.OpenAsync(await open(), ownsDatabase: true, cancellationToken))
        {
            // The schema and the audit genesis come from the store itself; the rows go in one transaction.
            await store.SaveAsync(Manifest(0), cancellationToken);
        }

        await using var database = await open();
        await FillAsync(database, count, cancellationToken);
        if (database.Kind == SqlKind.Postgres)
        {
            // What autovacuum does on a live server within a minute of a bulk load: the planner's
            // statistics, and the visibility map that lets counts and sorts read the narrow indexes alone.
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await SqlDatabase.ExecuteAsync(connection, null, "VACUUM ANALYZE", cancellationToken);
        }

        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[ui] {count:N0} runs in {watch.Elapsed.TotalSeconds:0.0} s"));

        await using var runs = await SqlRunStore.OpenAsync(await open(), ownsDatabase: true, cancellationToken);
        var context = new ServerContext { Workspace = workspace, Runs = runs, Database = database, Cache = new ContentCache(workspace.CachePath) };
        await using var server = await ReproServer.StartAsync(new ServerOptions { Port = 0 }, context, cancellationToken);
        using var http = new HttpClient { BaseAddress = server.Url, Timeout = TimeSpan.FromMinutes(15) };

        var cases = new (string Label, string Query)[]
        {
            ("filtered by a metric (`metrics.acc > 0.9`), newest first", "/?filter=" + Uri.EscapeDataString("metrics.acc > 0.9")),
            ("filtered by a metric and a param, sorted by the metric", "/?filter=" + Uri.EscapeDataString("metrics.acc > 0.9 AND params.lr = '0.01'") + "&sort=metrics.acc&dir=desc"),
            ("no filter, newest first", "/"),
        };
        var rows = new List<ResultRow>();
        double? unfiltered = null;
        var timings = new List<(string Label, double Seconds)>();
        foreach (var (label, query) in cases)
        {
            await GetAsync(http, query, cancellationToken); // warm: JIT, SQLite page cache
            var times = new List<double>();
            for (var i = 0; i < options.ProcessRuns; i++)
            {
                times.Add(await Measure.SecondsAsync(() => GetAsync(http, query, cancellationToken)));
            }

            var median = Measure.Median(times);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[ui] {storeName}: {label}: {median * 1000:0} ms"));
            timings.Add((label, median));
            if (query == "/")
            {
                unfiltered = median;
            }
        }

        // The audit page: a page of links and the log's size, against the full check it offers (once; it re-reads every run).
        await GetAsync(http, "/audit", cancellationToken, "id=\"audit-status\"");
        var auditTimes = new List<double>();
        for (var i = 0; i < options.ProcessRuns; i++)
        {
            auditTimes.Add(await Measure.SecondsAsync(() => GetAsync(http, "/audit", cancellationToken, "id=\"audit-status\"")));
        }

        var audit = Measure.Median(auditTimes);
        var full = await Measure.SecondsAsync(() => GetAsync(http, "/audit?verify=1", cancellationToken, "INTACT"));
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[ui] audit page: {audit * 1000:0} ms; full check: {full:0.0} s"));

        foreach (var (label, seconds) in timings)
        {
            var isBaseline = label.StartsWith("no filter", StringComparison.Ordinal);
            var sqliteSeconds = 0.0;
            var compared = storeName != "SQLite" && sqlite.TryGetValue(label, out sqliteSeconds);
            if (storeName == "SQLite")
            {
                sqlite[label] = seconds;
            }

            rows.Add(new ResultRow(
                string.Create(CultureInfo.InvariantCulture, $"`repro ui` runs page, 50 of {count:N0} runs ({storeName}), {label} (median of {options.ProcessRuns} GETs)"),
                Ms(seconds),
                compared ? $"the SQLite store: {Ms(sqliteSeconds)}" : isBaseline ? "-" : $"same page unfiltered: {Ms(unfiltered!.Value)}",
                compared ? sqliteSeconds / seconds : isBaseline ? null : unfiltered / seconds,
                isBaseline ? "-" : string.Create(CultureInfo.InvariantCulture, $"< {TargetSeconds * 1000:0} ms"),
                isBaseline ? null : seconds < TargetSeconds));
        }

        rows.Add(new ResultRow(
            string.Create(CultureInfo.InvariantCulture, $"`repro ui` audit page, 100 newest of {count + 1:N0} links, each re-hashed (median of {options.ProcessRuns} GETs)"),
            Ms(audit),
            string.Create(CultureInfo.InvariantCulture, $"the full check it offers (`/audit?verify=1`, once): {full:0.0} s"),
            full / audit,
            string.Create(CultureInfo.InvariantCulture, $"< {TargetSeconds * 1000:0} ms"),
            audit < TargetSeconds));
        return rows;
    }

    private static string Ms(double seconds) => string.Create(CultureInfo.InvariantCulture, $"{seconds * 1000:0} ms");

    private static async Task GetAsync(HttpClient http, string query, CancellationToken cancellationToken, string expected = "id=\"runs\"")
    {
        using var response = await http.GetAsync(query, cancellationToken);
        response.EnsureSuccessStatusCode();
        var html = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!html.Contains(expected, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the page {query} lacks {expected}");
        }
    }

    /// <summary>
    /// Rows as the store writes them (runs, params, metrics, tags, and each run's audit link) with
    /// real manifests, in one transaction: a SaveAsync each would take minutes.
    /// </summary>
    private static async Task FillAsync(SqlDatabase database, int count, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await database.BeginWriteAsync(connection, "bench.ui", cancellationToken);
        await using var run = connection.CreateCommand();
        run.Transaction = transaction;
        run.CommandText = "INSERT INTO runs(id, name, kind, parent_id, status, exit_code, created_at, wall_seconds, seed, digest, manifest) VALUES (@id, @name, 'run', NULL, @status, @exit, @created, 1.5, @seed, @digest, @manifest)";
        var id = SqlDatabase.AddParameter(run, "id", string.Empty);
        var name = SqlDatabase.AddParameter(run, "name", string.Empty);
        var status = SqlDatabase.AddParameter(run, "status", string.Empty);
        var exit = SqlDatabase.AddParameter(run, "exit", 0L);
        var created = SqlDatabase.AddParameter(run, "created", string.Empty);
        var seed = SqlDatabase.AddParameter(run, "seed", 0L);
        var digest = SqlDatabase.AddParameter(run, "digest", string.Empty);
        var manifest = SqlDatabase.AddParameter(run, "manifest", string.Empty);
        await using var pair = connection.CreateCommand();
        pair.Transaction = transaction;
        pair.CommandText = "INSERT INTO metrics(run_id, key, value) VALUES (@run, 'acc', @acc); INSERT INTO metrics(run_id, key, value) VALUES (@run, 'loss', @loss); INSERT INTO params(run_id, key, value) VALUES (@run, 'lr', @lr); INSERT INTO tags(run_id, key, value) VALUES (@run, 'team', @team)";
        var pairRun = SqlDatabase.AddParameter(pair, "run", string.Empty);
        var acc = SqlDatabase.AddParameter(pair, "acc", 0.0);
        var loss = SqlDatabase.AddParameter(pair, "loss", 0.0);
        var lr = SqlDatabase.AddParameter(pair, "lr", string.Empty);
        var team = SqlDatabase.AddParameter(pair, "team", string.Empty);
        await using var link = connection.CreateCommand();
        link.Transaction = transaction;
        link.CommandText = "INSERT INTO audit(seq, at, kind, subject, digest, previous, hash) VALUES (@seq, @at, 'run', @subject, @digest, @previous, @hash)";
        var linkSeq = SqlDatabase.AddParameter(link, "seq", 0L);
        var linkAt = SqlDatabase.AddParameter(link, "at", string.Empty);
        var linkSubject = SqlDatabase.AddParameter(link, "subject", string.Empty);
        var linkDigest = SqlDatabase.AddParameter(link, "digest", string.Empty);
        var linkPrevious = SqlDatabase.AddParameter(link, "previous", string.Empty);
        var linkHash = SqlDatabase.AddParameter(link, "hash", string.Empty);
        await using var head = connection.CreateCommand();
        head.Transaction = transaction;
        head.CommandText = "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1";
        long seq;
        string previous;
        await using (var reader = await head.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            seq = reader.GetInt64(0);
            previous = reader.GetString(1);
        }

        var random = new Random(8);
        for (var i = 1; i <= count; i++)
        {
            var accuracy = random.NextDouble();
            var m = Manifest(i, accuracy) with { Status = i % 20 == 0 ? RunStatus.Failed : RunStatus.Ok };
            var json = CanonicalJson.Serialize(m);
            id.Value = m.Id;
            name.Value = m.Name;
            status.Value = m.Status == RunStatus.Ok ? "ok" : "failed";
            exit.Value = m.Status == RunStatus.Ok ? 0L : 1L;
            created.Value = m.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture); // as SqlRunStore writes it
            seed.Value = m.Seed;
            digest.Value = Repro.Blobs.Hashing.Sha256Hasher.HashBytes(json);
            manifest.Value = System.Text.Encoding.UTF8.GetString(json);
            await run.ExecuteNonQueryAsync(cancellationToken);
            pairRun.Value = m.Id;
            acc.Value = accuracy;
            loss.Value = 1 - accuracy;
            lr.Value = Lrs[i % 3];
            team.Value = Teams[i % 3];
            await pair.ExecuteNonQueryAsync(cancellationToken);
            var entry = Repro.Blobs.Storage.AuditChain.Link(++seq, m.CreatedAt, m.Kind, m.Id, (string)digest.Value, previous);
            linkSeq.Value = entry.Seq;
            linkAt.Value = Repro.Blobs.Storage.AuditChain.FormatTime(entry.At);
            linkSubject.Value = entry.Subject;
            linkDigest.Value = entry.Digest;
            linkPrevious.Value = entry.Previous;
            linkHash.Value = entry.Hash;
            await link.ExecuteNonQueryAsync(cancellationToken);
            previous = entry.Hash;
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static RunManifest Manifest(int i, double acc = 0.5)
    {
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(i * 7);
        return new RunManifest
        {
            Id = Convert.ToHexStringLower(BitConverter.GetBytes((long)i + (1L << 40))) + "0000000000000000",
            Name = "exp-" + (i % 500).ToString(CultureInfo.InvariantCulture),
            Status = RunStatus.Ok,
            CreatedAt = at,
            Seed = i,
            Code = new CodeSnapshot { Kind = "git", Commit = new string('a', 40), Branch = "main" },
            Deps = [],
            Outputs = [],
            Params = new Dictionary<string, string> { ["lr"] = Lrs[i % 3] },
            ParamsFiles = [],
            Determinism = new DeterminismProfile(),
            Environment = new EnvironmentSnapshot(),
            Metrics = new MetricsRecord { Values = new Dictionary<string, double> { ["acc"] = acc, ["loss"] = 1 - acc } },
            Execution = new ExecutionRecord
            {
                Argv = ["python", "train.py"],
                Command = ["python", "train.py"],
                WorkingDir = ".",
                StartedAt = at,
                EndedAt = at.AddSeconds(1.5),
                WallSeconds = 1.5,
                Stdout = new CapturedOutput(),
                Stderr = new CapturedOutput(),
            },
            Tags = new Dictionary<string, string> { ["team"] = Teams[i % 3] },
            Warnings = [],
        };
    }
}
