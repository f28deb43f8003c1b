using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Repro.Audit;
using Repro.Domain;
using Repro.Hashing;
using Repro.Serialization;
using Repro.Verification;

namespace Repro.Storage;

/// <summary>
/// The run store in one SQLite file: WAL so readers never block the writer, a busy timeout so
/// concurrent <c>repro run</c>s queue instead of failing, and numbered migrations applied under
/// an immediate transaction so two processes never migrate at once.
/// </summary>
public sealed class SqliteRunStore : IRunStore
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE runs(
            id TEXT PRIMARY KEY,
            name TEXT,
            kind TEXT NOT NULL,
            parent_id TEXT,
            status TEXT NOT NULL,
            exit_code INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            wall_seconds REAL NOT NULL,
            seed INTEGER,
            digest TEXT NOT NULL,
            manifest TEXT NOT NULL);
        CREATE INDEX runs_created ON runs(created_at);
        CREATE INDEX runs_name ON runs(name, created_at);
        CREATE INDEX runs_parent ON runs(parent_id);
        CREATE TABLE params(run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY(run_id, key));
        CREATE INDEX params_key ON params(key, value);
        CREATE TABLE metrics(run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, key TEXT NOT NULL, value REAL, PRIMARY KEY(run_id, key));
        CREATE INDEX metrics_key ON metrics(key, value);
        CREATE TABLE metric_steps(run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, key TEXT NOT NULL, step INTEGER NOT NULL, value REAL);
        CREATE INDEX metric_steps_run ON metric_steps(run_id, key, step);
        CREATE TABLE tags(run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY(run_id, key));
        CREATE INDEX tags_key ON tags(key, value);
        """,
        """
        CREATE TABLE verifications(
            id TEXT PRIMARY KEY,
            run_id TEXT NOT NULL,
            verdict TEXT NOT NULL,
            created_at TEXT NOT NULL,
            digest TEXT NOT NULL,
            report TEXT NOT NULL);
        CREATE INDEX verifications_run ON verifications(run_id, created_at);
        CREATE TABLE audit(
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            subject TEXT NOT NULL,
            digest TEXT NOT NULL,
            previous TEXT NOT NULL,
            hash TEXT NOT NULL);
        """,
    ];

    private readonly SqliteConnection _connection;

    private SqliteRunStore(SqliteConnection connection) => _connection = connection;

    public static int SchemaVersion => Migrations.Length;

    /// <summary>Opens (creating and migrating as needed) the store at <paramref name="path"/>.</summary>
    public static async Task<SqliteRunStore> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 60, ForeignKeys = true };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=60000;", cancellationToken);
            await MigrateAsync(connection, cancellationToken);
            return new SqliteRunStore(connection);
        }
        catch (SqliteException ex)
        {
            await connection.DisposeAsync();
            throw ReproException.CannotExecute($"cannot open the run store {path}: {ex.Message}");
        }
    }

    public async Task<StoredRun> SaveAsync(RunManifest manifest, CancellationToken cancellationToken)
    {
        var json = CanonicalJson.Serialize(manifest);
        var digest = Sha256Hasher.HashBytes(json);
        var text = Encoding.UTF8.GetString(json);
        await using var transaction = _connection.BeginTransaction(deferred: false);
        await ReplaceRunningAsync(transaction, manifest.Id, cancellationToken);
        await using (var insert = _connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO runs(id, name, kind, parent_id, status, exit_code, created_at, wall_seconds, seed, digest, manifest)
                VALUES ($id, $name, $kind, $parent, $status, $exit, $created, $wall, $seed, $digest, $manifest)
                """;
            insert.Parameters.AddWithValue("$id", manifest.Id);
            insert.Parameters.AddWithValue("$name", (object?)manifest.Name ?? DBNull.Value);
            insert.Parameters.AddWithValue("$kind", manifest.Kind);
            insert.Parameters.AddWithValue("$parent", (object?)manifest.ParentId ?? DBNull.Value);
            insert.Parameters.AddWithValue("$status", StatusText(manifest.Status));
            insert.Parameters.AddWithValue("$exit", manifest.Execution.ExitCode);
            insert.Parameters.AddWithValue("$created", FormatTime(manifest.CreatedAt));
            insert.Parameters.AddWithValue("$wall", manifest.Execution.WallSeconds);
            insert.Parameters.AddWithValue("$seed", (object?)manifest.Seed ?? DBNull.Value);
            insert.Parameters.AddWithValue("$digest", digest);
            insert.Parameters.AddWithValue("$manifest", text);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await InsertPairsAsync(transaction, "params", manifest.Id, manifest.Params.Select(p => (p.Key, (object)p.Value)), cancellationToken);
        await InsertPairsAsync(transaction, "tags", manifest.Id, manifest.Tags.Select(p => (p.Key, (object)p.Value)), cancellationToken);
        await InsertPairsAsync(transaction, "metrics", manifest.Id, manifest.Metrics.Values.Select(p => (p.Key, DbDouble(p.Value))), cancellationToken);

        await using (var steps = _connection.CreateCommand())
        {
            steps.Transaction = transaction;
            steps.CommandText = "INSERT INTO metric_steps(run_id, key, step, value) VALUES ($run, $key, $step, $value)";
            steps.Parameters.AddWithValue("$run", manifest.Id);
            var key = steps.Parameters.Add("$key", SqliteType.Text);
            var step = steps.Parameters.Add("$step", SqliteType.Integer);
            var value = steps.Parameters.Add("$value", SqliteType.Real);
            foreach (var (metric, history) in manifest.Metrics.Steps)
            {
                foreach (var point in history)
                {
                    key.Value = metric;
                    step.Value = point.Step;
                    value.Value = DbDouble(point.Value);
                    await steps.ExecuteNonQueryAsync(cancellationToken);
                }
            }
        }

        await AppendAuditAsync(transaction, manifest.Kind, manifest.Id, digest, manifest.CreatedAt, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new StoredRun(manifest, text, digest);
    }

    /// <summary>
    /// A run logged through the MLflow API is kept as a provisional "running" row until it is
    /// sealed: saving its final manifest replaces that row and its params, tags and metrics.
    /// A row with any other status stays, and the insert that follows refuses the duplicate id.
    /// </summary>
    private async Task ReplaceRunningAsync(SqliteTransaction transaction, string id, CancellationToken cancellationToken)
    {
        await using var delete = _connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = """
            DELETE FROM params WHERE run_id = $id AND EXISTS (SELECT 1 FROM runs WHERE id = $id AND status = 'running');
            DELETE FROM tags WHERE run_id = $id AND EXISTS (SELECT 1 FROM runs WHERE id = $id AND status = 'running');
            DELETE FROM metrics WHERE run_id = $id AND EXISTS (SELECT 1 FROM runs WHERE id = $id AND status = 'running');
            DELETE FROM metric_steps WHERE run_id = $id AND EXISTS (SELECT 1 FROM runs WHERE id = $id AND status = 'running');
            DELETE FROM runs WHERE id = $id AND status = 'running';
            """;
        delete.Parameters.AddWithValue("$id", id);
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<StoredRun?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = "SELECT manifest, digest FROM runs WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var json = reader.GetString(0);
        return new StoredRun(CanonicalJson.Deserialize<RunManifest>(json), json, reader.GetString(1));
    }

    public async Task<IReadOnlyList<RunSummary>> ListAsync(RunQuery query, CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        var where = new List<string>();
        if (query.Name is not null)
        {
            where.Add("name = $name");
            command.Parameters.AddWithValue("$name", query.Name);
        }

        if (query.Status is { } status)
        {
            where.Add("status = $status");
            command.Parameters.AddWithValue("$status", StatusText(status));
        }

        command.CommandText = $"""
            SELECT id, name, kind, parent_id, status, exit_code, created_at, wall_seconds, seed, digest
            FROM runs {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : string.Empty)}
            ORDER BY created_at DESC, rowid DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$limit", query.Limit <= 0 ? -1 : query.Limit);
        var runs = new List<RunSummary>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                runs.Add(new RunSummary
                {
                    Id = reader.GetString(0),
                    Name = reader.IsDBNull(1) ? null : reader.GetString(1),
                    Kind = reader.GetString(2),
                    ParentId = reader.IsDBNull(3) ? null : reader.GetString(3),
                    Status = ParseStatus(reader.GetString(4)),
                    ExitCode = reader.GetInt32(5),
                    CreatedAt = DateTimeOffset.Parse(reader.GetString(6), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                    WallSeconds = reader.GetDouble(7),
                    Seed = reader.IsDBNull(8) ? null : reader.GetInt64(8),
                    Digest = reader.GetString(9),
                });
            }
        }

        if (runs.Count == 0)
        {
            return runs;
        }

        // One query for the metrics of every listed run.
        await using var metrics = _connection.CreateCommand();
        var names = new List<string>();
        for (var i = 0; i < runs.Count; i++)
        {
            names.Add($"$r{i}");
            metrics.Parameters.AddWithValue($"$r{i}", runs[i].Id);
        }

        metrics.CommandText = $"SELECT run_id, key, value FROM metrics WHERE run_id IN ({string.Join(',', names)}) ORDER BY key";
        var byRun = runs.ToDictionary(r => r.Id, _ => new SortedDictionary<string, double>(StringComparer.Ordinal));
        await using (var reader = await metrics.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                byRun[reader.GetString(0)][reader.GetString(1)] = reader.IsDBNull(2) ? double.NaN : reader.GetDouble(2);
            }
        }

        return runs.Select(r => r with { Metrics = byRun[r.Id] }).ToList();
    }

    public async Task<IReadOnlyList<string>> FindByPrefixAsync(string prefix, int limit, CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = "SELECT id FROM runs WHERE substr(id, 1, length($prefix)) = $prefix ORDER BY id LIMIT $limit";
        command.Parameters.AddWithValue("$prefix", prefix);
        command.Parameters.AddWithValue("$limit", limit);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public async Task<StoredVerification> SaveVerificationAsync(VerificationReport report, CancellationToken cancellationToken)
    {
        if (report.Id.Length == 0)
        {
            throw new ArgumentException("a verification report needs an id", nameof(report));
        }

        var json = CanonicalJson.Serialize(report);
        var digest = Sha256Hasher.HashBytes(json);
        var text = Encoding.UTF8.GetString(json);
        await using var transaction = _connection.BeginTransaction(deferred: false);
        await using (var insert = _connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO verifications(id, run_id, verdict, created_at, digest, report) VALUES ($id, $run, $verdict, $created, $digest, $report)";
            insert.Parameters.AddWithValue("$id", report.Id);
            insert.Parameters.AddWithValue("$run", report.Run);
            insert.Parameters.AddWithValue("$verdict", report.Verdict.ToString().ToUpperInvariant());
            insert.Parameters.AddWithValue("$created", FormatTime(report.VerifiedAt));
            insert.Parameters.AddWithValue("$digest", digest);
            insert.Parameters.AddWithValue("$report", text);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await AppendAuditAsync(transaction, "verdict", report.Id, digest, report.VerifiedAt, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new StoredVerification(report, text, digest);
    }

    public async Task<StoredVerification?> GetVerificationAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = "SELECT report, digest FROM verifications WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Verification(reader) : null;
    }

    public async Task<IReadOnlyList<StoredVerification>> ListVerificationsAsync(string? runId, int limit, CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT report, digest FROM verifications {(runId is null ? string.Empty : "WHERE run_id = $run")} ORDER BY created_at DESC, rowid DESC LIMIT $limit";
        if (runId is not null)
        {
            command.Parameters.AddWithValue("$run", runId);
        }

        command.Parameters.AddWithValue("$limit", limit <= 0 ? -1 : limit);
        var result = new List<StoredVerification>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(Verification(reader));
        }

        return result;
    }

    public async Task<AuditEntry> AppendAuditAsync(string kind, string subject, string digest, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var transaction = _connection.BeginTransaction(deferred: false);
        var entry = await AppendAuditAsync(transaction, kind, subject, digest, at, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return entry;
    }

    public async Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = "SELECT seq, at, kind, subject, digest, previous, hash FROM audit ORDER BY rowid";
        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new AuditEntry
            {
                Seq = reader.GetInt64(0),
                At = DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                Kind = reader.GetString(2),
                Subject = reader.GetString(3),
                Digest = reader.GetString(4),
                Previous = reader.GetString(5),
                Hash = reader.GetString(6),
            });
        }

        return entries;
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private static StoredVerification Verification(SqliteDataReader reader)
    {
        var json = reader.GetString(0);
        return new StoredVerification(CanonicalJson.Deserialize<VerificationReport>(json), json, reader.GetString(1));
    }

    /// <summary>Appends a link inside the caller's write transaction, which SQLite holds exclusively: the chain cannot fork.</summary>
    private async Task<AuditEntry> AppendAuditAsync(SqliteTransaction transaction, string kind, string subject, string digest, DateTimeOffset at, CancellationToken cancellationToken)
    {
        long seq = 1;
        var previous = AuditChain.Genesis;
        await using (var last = _connection.CreateCommand())
        {
            last.Transaction = transaction;
            last.CommandText = "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1";
            await using var reader = await last.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                seq = reader.GetInt64(0) + 1;
                previous = reader.GetString(1);
            }
        }

        var entry = AuditChain.Link(seq, at, kind, subject, digest, previous);
        await InsertAuditAsync(_connection, transaction, entry, cancellationToken);
        return entry;
    }

    private static async Task InsertAuditAsync(SqliteConnection connection, SqliteTransaction transaction, AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO audit(seq, at, kind, subject, digest, previous, hash) VALUES ($seq, $at, $kind, $subject, $digest, $previous, $hash)";
        insert.Parameters.AddWithValue("$seq", entry.Seq);
        insert.Parameters.AddWithValue("$at", AuditChain.FormatTime(entry.At));
        insert.Parameters.AddWithValue("$kind", entry.Kind);
        insert.Parameters.AddWithValue("$subject", entry.Subject);
        insert.Parameters.AddWithValue("$digest", entry.Digest);
        insert.Parameters.AddWithValue("$previous", entry.Previous);
        insert.Parameters.AddWithValue("$hash", entry.Hash);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    internal static string StatusText(RunStatus status) => status switch
    {
        RunStatus.Ok => "ok",
        RunStatus.Running => "running",
        _ => "failed",
    };

    private static RunStatus ParseStatus(string text) => text switch
    {
        "ok" => RunStatus.Ok,
        "running" => RunStatus.Running,
        _ => RunStatus.Failed,
    };

    private static object DbDouble(double value) => double.IsNaN(value) ? DBNull.Value : value;

    private async Task InsertPairsAsync(SqliteTransaction transaction, string table, string runId, IEnumerable<(string Key, object Value)> pairs, CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {table}(run_id, key, value) VALUES ($run, $key, $value)";
        command.Parameters.AddWithValue("$run", runId);
        var key = command.Parameters.Add("$key", SqliteType.Text);
        var value = command.Parameters.Add("$value", SqliteType.Text);
        foreach (var (k, v) in pairs)
        {
            key.Value = k;
            value.Value = v;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = connection.BeginTransaction(deferred: false);
        await ExecuteAsync(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL)", cancellationToken);
        await using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
        var current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        if (current > Migrations.Length)
        {
            throw ReproException.CannotExecute($"the run store has schema version {current}, newer than this repro understands ({Migrations.Length}); upgrade repro");
        }

        for (var version = current + 1; version <= Migrations.Length; version++)
        {
            await ExecuteAsync(connection, transaction, Migrations[version - 1], cancellationToken);
            await ExecuteAsync(connection, transaction, $"INSERT INTO schema_version(version) VALUES ({version})", cancellationToken);
        }

        if (current is > 0 and < 2)
        {
            await BackfillAuditAsync(connection, transaction, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>A store made before the audit log: its runs are logged once, oldest first, when it is upgraded.</summary>
    private static async Task BackfillAuditAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var runs = new List<(string Id, string Kind, string Digest, string Created)>();
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = "SELECT id, kind, digest, created_at FROM runs ORDER BY created_at, rowid";
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                runs.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
            }
        }

        var previous = AuditChain.Genesis;
        long seq = 0;
        foreach (var (id, kind, digest, created) in runs)
        {
            var entry = AuditChain.Link(++seq, DateTimeOffset.Parse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal), kind, id, digest, previous);
            await InsertAuditAsync(connection, transaction, entry, cancellationToken);
            previous = entry.Hash;
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
