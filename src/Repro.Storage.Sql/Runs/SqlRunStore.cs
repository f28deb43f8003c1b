using System.Text;
using Repro.Model.Verdicts;

namespace Repro.Storage.Sql.Runs;

/// <summary>
/// The run store over a <see cref="SqlDatabase"/>, SQLite or PostgreSQL, with the same
/// parameterised SQL on both. Every call borrows a pooled connection, so one instance serves
/// concurrent callers; every write runs under <see cref="WriteLock"/>, which keeps the audit
/// chain gap-free however many processes write at once.
/// </summary>
public sealed class SqlRunStore : IRunStore
{
    /// <summary>The lock name every writer of the runs tables and the audit log takes (see <see cref="SqlDatabase.BeginWriteAsync"/>).</summary>
    public const string WriteLock = "repro.runs";

    /// <summary>The migrations module the runs, verifications and audit tables belong to.</summary>
    public const string Module = "runs";

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE runs(
            id TEXT PRIMARY KEY,
            name TEXT,
            kind TEXT NOT NULL,
            parent_id TEXT,
            status TEXT NOT NULL,
            exit_code BIGINT NOT NULL,
            created_at TEXT NOT NULL,
            wall_seconds DOUBLE PRECISION NOT NULL,
            seed BIGINT,
            digest TEXT NOT NULL,
            manifest TEXT NOT NULL);
        CREATE INDEX runs_created ON runs(created_at);
        CREATE INDEX runs_name ON runs(name, created_at);
        CREATE INDEX runs_parent ON runs(parent_id);
        CREATE TABLE params(run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY(run_id, key));
        CREATE INDEX params_key ON params(key, value);
        CREATE TABLE metrics(run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, key TEXT NOT NULL, value DOUBLE PRECISION, PRIMARY KEY(run_id, key));
        CREATE INDEX metrics_key ON metrics(key, value);
        CREATE TABLE metric_steps(run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, key TEXT NOT NULL, step BIGINT NOT NULL, value DOUBLE PRECISION);
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
            seq BIGINT PRIMARY KEY,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            subject TEXT NOT NULL,
            digest TEXT NOT NULL,
            previous TEXT NOT NULL,
            hash TEXT NOT NULL);
        """,
    ];

    private readonly SqlDatabase _database;
    private readonly bool _ownsDatabase;

    private SqlRunStore(SqlDatabase database, bool ownsDatabase)
    {
        _database = database;
        _ownsDatabase = ownsDatabase;
    }

    public static int SchemaVersion => Migrations.Length;

    /// <summary>Where the store is, safe to print (no password).</summary>
    public string Display => _database.Display;

    /// <summary>
    /// Opens the store in <paramref name="database"/>, creating or migrating its tables as needed.
    /// With <paramref name="ownsDatabase"/> disposing the store disposes the database too.
    /// </summary>
    public static async Task<SqlRunStore> OpenAsync(SqlDatabase database, bool ownsDatabase, CancellationToken cancellationToken)
    {
        try
        {
            if (database.Kind == SqlKind.Sqlite)
            {
                await AdoptSqliteBookkeepingAsync(database, cancellationToken);
            }

            await database.MigrateAsync(Module, Migrations, cancellationToken);
            return new SqlRunStore(database, ownsDatabase);
        }
        catch (DbException ex)
        {
            if (ownsDatabase)
            {
                await database.DisposeAsync();
            }

            throw ReproException.CannotExecute($"cannot open the run store {database.Display}: {ex.Message}");
        }
        catch
        {
            if (ownsDatabase)
            {
                await database.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>
    /// Saves a run: its row, its params, tags, metrics and steps, and its audit link, in one write
    /// transaction. One method on purpose: what a save does to rows already there is decided here.
    /// </summary>
    public async Task<StoredRun> SaveAsync(RunManifest manifest, CancellationToken cancellationToken)
    {
        var json = CanonicalJson.Serialize(manifest);
        var digest = Sha256Hasher.HashBytes(json);
        var text = Encoding.UTF8.GetString(json);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _database.BeginWriteAsync(connection, WriteLock, cancellationToken);
        await ReplaceRunningAsync(connection, transaction, manifest.Id, cancellationToken);

        await InsertRowsAsync(connection, transaction, "runs", ["id", "name", "kind", "parent_id", "status", "exit_code", "created_at", "wall_seconds", "seed", "digest", "manifest"], [
            [manifest.Id, manifest.Name, manifest.Kind, manifest.ParentId, StatusText(manifest.Status), (long)manifest.Execution.ExitCode, FormatTime(manifest.CreatedAt), manifest.Execution.WallSeconds, manifest.Seed, digest, text],
        ], cancellationToken);
        await InsertRowsAsync(connection, transaction, "params", ["run_id", "key", "value"], manifest.Params.Select(p => new object?[] { manifest.Id, p.Key, p.Value }).ToList(), cancellationToken);
        await InsertRowsAsync(connection, transaction, "tags", ["run_id", "key", "value"], manifest.Tags.Select(p => new object?[] { manifest.Id, p.Key, p.Value }).ToList(), cancellationToken);
        await InsertRowsAsync(connection, transaction, "metrics", ["run_id", "key", "value"], manifest.Metrics.Values.Select(p => new object?[] { manifest.Id, p.Key, DbDouble(p.Value) }).ToList(), cancellationToken);
        await InsertRowsAsync(
            connection,
            transaction,
            "metric_steps",
            ["run_id", "key", "step", "value"],
            manifest.Metrics.Steps.SelectMany(s => s.Value.Select(point => new object?[] { manifest.Id, s.Key, point.Step, DbDouble(point.Value) })).ToList(),
            cancellationToken);

        await AppendAuditAsync(connection, transaction, manifest.Kind, manifest.Id, digest, manifest.CreatedAt, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new StoredRun(manifest, text, digest);
    }

    /// <summary>
    /// A run logged through the MLflow API is kept as a provisional "running" row until it is
    /// sealed: saving its final manifest replaces that row and its params, tags and metrics.
    /// A row with any other status stays, and the insert that follows refuses the duplicate id.
    /// </summary>
    private static async Task ReplaceRunningAsync(DbConnection connection, DbTransaction transaction, string id, CancellationToken cancellationToken)
    {
        foreach (var table in new[] { "params", "tags", "metrics", "metric_steps" })
        {
            await using var rows = connection.CreateCommand();
            rows.Transaction = transaction;
            rows.CommandText = $"DELETE FROM {table} WHERE run_id = @id AND EXISTS (SELECT 1 FROM runs WHERE id = @id AND status = 'running')";
            SqlDatabase.AddParameter(rows, "id", id);
            await rows.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var run = connection.CreateCommand();
        run.Transaction = transaction;
        run.CommandText = "DELETE FROM runs WHERE id = @id AND status = 'running'";
        SqlDatabase.AddParameter(run, "id", id);
        await run.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<StoredRun?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT manifest, digest FROM runs WHERE id = @id";
        SqlDatabase.AddParameter(command, "id", id);
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
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var where = new List<string>();
        if (query.Name is not null)
        {
            where.Add("name = @name");
            SqlDatabase.AddParameter(command, "name", query.Name);
        }

        if (query.Status is { } status)
        {
            where.Add("status = @status");
            SqlDatabase.AddParameter(command, "status", StatusText(status));
        }

        command.CommandText = $"""
            SELECT id, name, kind, parent_id, status, exit_code, created_at, wall_seconds, seed, digest
            FROM runs {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : string.Empty)}
            ORDER BY created_at DESC, {InsertionOrder} DESC {Limit(command, query.Limit)}
            """;
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
                    ExitCode = (int)reader.GetInt64(5),
                    CreatedAt = ParseTime(reader.GetString(6)),
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

        // One query per chunk of listed runs for all their metrics.
        var byRun = runs.ToDictionary(r => r.Id, _ => new SortedDictionary<string, double>(StringComparer.Ordinal));
        foreach (var chunk in runs.Chunk(500))
        {
            await using var metrics = connection.CreateCommand();
            var names = new List<string>();
            for (var i = 0; i < chunk.Length; i++)
            {
                names.Add($"@r{i}");
                SqlDatabase.AddParameter(metrics, $"r{i}", chunk[i].Id);
            }

            metrics.CommandText = $"SELECT run_id, key, value FROM metrics WHERE run_id IN ({string.Join(',', names)})";
            await using var reader = await metrics.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                byRun[reader.GetString(0)][reader.GetString(1)] = reader.IsDBNull(2) ? double.NaN : reader.GetDouble(2);
            }
        }

        return runs.Select(r => r with { Metrics = byRun[r.Id] }).ToList();
    }

    public async Task<IReadOnlyList<string>> FindByPrefixAsync(string prefix, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id FROM runs WHERE substr(id, 1, @length) = @prefix ORDER BY id {Limit(command, limit)}";
        SqlDatabase.AddParameter(command, "prefix", prefix);
        SqlDatabase.AddParameter(command, "length", prefix.Length);
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
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _database.BeginWriteAsync(connection, WriteLock, cancellationToken);
        await InsertRowsAsync(connection, transaction, "verifications", ["id", "run_id", "verdict", "created_at", "digest", "report"], [
            [report.Id, report.Run, report.Verdict.ToString().ToUpperInvariant(), FormatTime(report.VerifiedAt), digest, text],
        ], cancellationToken);
        await AppendAuditAsync(connection, transaction, "verdict", report.Id, digest, report.VerifiedAt, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new StoredVerification(report, text, digest);
    }

    public async Task<StoredVerification?> GetVerificationAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT report, digest FROM verifications WHERE id = @id";
        SqlDatabase.AddParameter(command, "id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Verification(reader) : null;
    }

    public async Task<IReadOnlyList<StoredVerification>> ListVerificationsAsync(string? runId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        if (runId is not null)
        {
            SqlDatabase.AddParameter(command, "run", runId);
        }

        command.CommandText = $"SELECT report, digest FROM verifications {(runId is null ? string.Empty : "WHERE run_id = @run")} ORDER BY created_at DESC, {InsertionOrder} DESC {Limit(command, limit)}";
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
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _database.BeginWriteAsync(connection, WriteLock, cancellationToken);
        var entry = await AppendAuditAsync(connection, transaction, kind, subject, digest, at, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return entry;
    }

    public async Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, at, kind, subject, digest, previous, hash FROM audit ORDER BY seq";
        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(ReadAuditEntry(reader));
        }

        return entries;
    }

    /// <summary>One link of the audit log from a row of <c>SELECT seq, at, kind, subject, digest, previous, hash FROM audit</c>.</summary>
    public static AuditEntry ReadAuditEntry(DbDataReader reader) => new()
    {
        Seq = reader.GetInt64(0),
        At = ParseTime(reader.GetString(1)),
        Kind = reader.GetString(2),
        Subject = reader.GetString(3),
        Digest = reader.GetString(4),
        Previous = reader.GetString(5),
        Hash = reader.GetString(6),
    };

    public async ValueTask DisposeAsync()
    {
        if (_ownsDatabase)
        {
            await _database.DisposeAsync();
        }
    }

    /// <summary>
    /// Appends a link inside the caller's write transaction, which holds <see cref="WriteLock"/>:
    /// reading the last link and inserting the next cannot interleave with another writer.
    /// </summary>
    public static async Task<AuditEntry> AppendAuditAsync(DbConnection connection, DbTransaction transaction, string kind, string subject, string digest, DateTimeOffset at, CancellationToken cancellationToken)
    {
        long seq = 1;
        var previous = AuditChain.Genesis;
        await using (var last = connection.CreateCommand())
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
        await InsertAuditAsync(connection, transaction, entry, cancellationToken);
        return entry;
    }

    internal static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    /// <summary>Ties of <c>created_at</c> break by insertion order on SQLite (its rowid), by id on PostgreSQL (which keeps no such order).</summary>
    private string InsertionOrder => _database.Kind == SqlKind.Sqlite ? "rowid" : "id";

    private static string Limit(DbCommand command, int limit)
    {
        if (limit <= 0)
        {
            return string.Empty;
        }

        SqlDatabase.AddParameter(command, "limit", (long)limit);
        return "LIMIT @limit";
    }

    private static async Task InsertAuditAsync(DbConnection connection, DbTransaction transaction, AuditEntry entry, CancellationToken cancellationToken) =>
        await InsertRowsAsync(connection, transaction, "audit", ["seq", "at", "kind", "subject", "digest", "previous", "hash"], [
            [entry.Seq, AuditChain.FormatTime(entry.At), entry.Kind, entry.Subject, entry.Digest, entry.Previous, entry.Hash],
        ], cancellationToken);

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

    private static double? DbDouble(double value) => double.IsNaN(value) ? null : value;

    private static StoredVerification Verification(DbDataReader reader)
    {
        var json = reader.GetString(0);
        return new StoredVerification(CanonicalJson.Deserialize<VerificationReport>(json), json, reader.GetString(1));
    }

    /// <summary>Inserts rows with multi-row <c>VALUES</c> lists, a few hundred parameters per statement, so a save is a handful of round trips.</summary>
    private static async Task InsertRowsAsync(DbConnection connection, DbTransaction transaction, string table, string[] columns, List<object?[]> rows, CancellationToken cancellationToken)
    {
        var perStatement = Math.Max(1, 400 / columns.Length);
        for (var start = 0; start < rows.Count; start += perStatement)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var sql = new StringBuilder($"INSERT INTO {table}({string.Join(", ", columns)}) VALUES ");
            var end = Math.Min(rows.Count, start + perStatement);
            for (var row = start; row < end; row++)
            {
                sql.Append(row == start ? "(" : ", (");
                for (var column = 0; column < columns.Length; column++)
                {
                    var name = string.Create(CultureInfo.InvariantCulture, $"p{row - start}_{column}");
                    sql.Append(column == 0 ? "@" : ", @").Append(name);
                    SqlDatabase.AddParameter(command, name, rows[row][column]);
                }

                sql.Append(')');
            }

            command.CommandText = sql.ToString();
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>
    /// A SQLite store made before <see cref="SqlDatabase.MigrateAsync"/> kept its version in its own
    /// <c>schema_version</c> table. Its tables are what migrations 1 and 2 make, so it is carried over
    /// as this module's version (finishing the upgrade from 1, and logging the runs of a store from
    /// before the audit log); the old table stays, so an older repro still opens the file.
    /// </summary>
    private static async Task AdoptSqliteBookkeepingAsync(SqlDatabase database, CancellationToken cancellationToken)
    {
        const string HasLegacyTable = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'";
        await using var connection = await database.OpenConnectionAsync(cancellationToken);

        // A plain read first: most stores never had the legacy table, and the write lock is not free.
        if (await ScalarAsync(connection, null, HasLegacyTable, cancellationToken) == 0)
        {
            return;
        }

        await using var transaction = await database.BeginWriteAsync(connection, "repro.migrate", cancellationToken);
        if (await ScalarAsync(connection, transaction, HasLegacyTable, cancellationToken) == 0)
        {
            return;
        }

        var legacy = await ScalarAsync(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_version", cancellationToken);
        if (legacy > Migrations.Length)
        {
            throw ReproException.CannotExecute($"the run store {database.Display} has schema version {legacy}, newer than this repro understands ({Migrations.Length}); upgrade repro");
        }

        await SqlDatabase.ExecuteAsync(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_modules(module TEXT PRIMARY KEY, version BIGINT NOT NULL)", cancellationToken);
        if (await ScalarAsync(connection, transaction, $"SELECT COUNT(*) FROM schema_modules WHERE module = '{Module}'", cancellationToken) > 0)
        {
            return;
        }

        for (var version = (int)legacy + 1; version <= Migrations.Length; version++)
        {
            await SqlDatabase.ExecuteAsync(connection, transaction, Migrations[version - 1], cancellationToken);
            await SqlDatabase.ExecuteAsync(connection, transaction, string.Create(CultureInfo.InvariantCulture, $"INSERT INTO schema_version(version) VALUES ({version})"), cancellationToken);
        }

        if (legacy == 1)
        {
            await BackfillAuditAsync(connection, transaction, cancellationToken);
        }

        await SqlDatabase.ExecuteAsync(connection, transaction, string.Create(CultureInfo.InvariantCulture, $"INSERT INTO schema_modules(module, version) VALUES ('{Module}', {Migrations.Length})"), cancellationToken);

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>A store made before the audit log: its runs are logged once, oldest first, when it is upgraded.</summary>
    private static async Task BackfillAuditAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
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
            var entry = AuditChain.Link(++seq, ParseTime(created), kind, id, digest, previous);
            await InsertAuditAsync(connection, transaction, entry, cancellationToken);
            previous = entry.Hash;
        }
    }

    private static async Task<long> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}
