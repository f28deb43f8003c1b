using Microsoft.Data.Sqlite;
using Npgsql;
using Repro.Interop.Models;
using Repro.Judging.Studies.Slurm;
using Repro.Ports;
using Repro.Storage.Sql.Audit;
using Repro.Storage.Sql.Models;
using Repro.Storage.Sql.Search;
using Repro.Storage.Sql.Studies;
using Repro.Storage.Sql.Tracking;

namespace Repro.Storage.Sql;

/// <summary>
/// One database the store's modules (runs, tracking, models) keep their tables in, SQLite or
/// PostgreSQL, reached through pooled connections so a server can serve requests at once. SQL
/// written for it is portable: <c>@name</c> parameters, <c>BIGINT</c>, <c>DOUBLE PRECISION</c>
/// and <c>TEXT</c> columns (SQLite maps them by affinity), <c>INSERT ... ON CONFLICT</c>, and
/// no engine-generated ids. Each module migrates its own numbered schema.
/// </summary>
public sealed class SqlDatabase : IStoreDatabase
{
    private const string ModulesTable = "CREATE TABLE IF NOT EXISTS schema_modules(module TEXT PRIMARY KEY, version BIGINT NOT NULL)";

    // How often a server's background loop checkpoints the WAL (each turn copies what the writers
    // committed since the last into the database file).
    private static readonly TimeSpan CheckpointPeriod = TimeSpan.FromMilliseconds(200);

    // How often a server's background loop looks for searched PostgreSQL tables whose statistics
    // are stale, and the tables it looks at.
    private static readonly TimeSpan AnalyzePeriod = TimeSpan.FromSeconds(5);
    private static readonly string[] SearchedTables = ["runs", "params", "metrics", "tags", "tracking_runs", "tracking_latest"];

    // Rows inserted into each searched table (PostgreSQL's n_tup_ins) when the loop last analysed it.
    private readonly Dictionary<string, long> _insertedAtAnalysis = new(StringComparer.Ordinal);
    private long _analyzedTables;
    private long _analyzeTurns;

    private readonly DbDataSource _source;
    private readonly CancellationTokenSource _stopMaintenance = new();
    private Task? _maintenance;

    private SqlDatabase(SqlKind kind, DbDataSource source, string display)
    {
        Kind = kind;
        _source = source;
        Display = display;
    }

    public SqlKind Kind { get; }

    /// <summary>The audit table read a page at a time.</summary>
    public IAuditLog AuditLog => new SqlAuditLog(this);

    /// <summary>Where it is, safe to print: a file path, or a URL without its password.</summary>
    public string Display { get; }

    /// <summary>Opens (creating if needed) a SQLite database file, in WAL mode with a long busy timeout.</summary>
    public static async Task<SqlDatabase> OpenSqliteAsync(string path, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 60, ForeignKeys = true };
        var database = new SqlDatabase(SqlKind.Sqlite, SqliteFactory.Instance.CreateDataSource(builder.ToString()), path);
        try
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException ex)
        {
            await database.DisposeAsync();
            throw ReproException.CannotExecute($"cannot open the database {path}: {ex.Message}");
        }

        return database;
    }

    /// <summary>Wraps a PostgreSQL data source (its connection string already holds any password).</summary>
    public static SqlDatabase ForPostgres(NpgsqlDataSource source, string display) => new(SqlKind.Postgres, source, display);

    public async Task<ITrackingStore> OpenTrackingAsync(IRunStore runs, TimeProvider time, string artifactRoot, CancellationToken cancellationToken) =>
        await TrackingStore.OpenAsync(this, runs, time, artifactRoot, cancellationToken);

    public async Task<IModelRegistry> OpenModelRegistryAsync(IRunStore runs, TimeProvider time, CancellationToken cancellationToken) =>
        await ModelRegistry.OpenAsync(this, runs, time, cancellationToken);

    public async Task<IStudyStore> OpenStudyStoreAsync(CancellationToken cancellationToken) => await SlurmStudyStore.OpenAsync(this, cancellationToken);

    /// <summary>The search over the runs tables, its indexes added first.</summary>
    public async Task<IRunSearch> OpenRunSearchAsync(CancellationToken cancellationToken)
    {
        await SqlRunSearch.MigrateAsync(this, cancellationToken);
        return new SqlRunSearch(this);
    }

    /// <summary>A new open connection from the pool; dispose it to return it.</summary>
    public async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = await _source.OpenConnectionAsync(cancellationToken);
        if (Kind == SqlKind.Sqlite)
        {
            // Closing the last connection would checkpoint the WAL into the file and delete it
            // (two fsyncs), and the next command would create a new WAL (two more: its header and
            // the folder). A commit in the WAL is as safe against a kill as one in the file, and
            // SQLite still checkpoints during a commit once the WAL holds 1000 pages.
            SQLitePCL.raw.sqlite3_db_config(((SqliteConnection)connection).Handle, SQLitePCL.raw.SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, out _);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA busy_timeout=60000; PRAGMA synchronous=NORMAL";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }

        return connection;
    }

    /// <summary>
    /// Starts a transaction that writes, serialised against every other writer of
    /// <paramref name="lockName"/>: SQLite takes its write lock at once (BEGIN IMMEDIATE);
    /// PostgreSQL takes a transaction-scoped advisory lock named by it. Read-then-write code
    /// (next id, audit chain) is safe inside it.
    /// </summary>
    public async Task<DbTransaction> BeginWriteAsync(DbConnection connection, string lockName, CancellationToken cancellationToken)
    {
        if (Kind == SqlKind.Sqlite)
        {
            return ((SqliteConnection)connection).BeginTransaction(deferred: false);
        }

        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT pg_advisory_xact_lock(hashtext(@name))";
        AddParameter(command, "name", lockName);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return transaction;
    }

    /// <summary>
    /// Applies <paramref name="migrations"/> of <paramref name="module"/> beyond the version it has,
    /// each in order, all in one serialised transaction, so two processes never migrate at once.
    /// </summary>
    public async Task MigrateAsync(string module, IReadOnlyList<string> migrations, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        if (await VersionAsync(connection, module, cancellationToken) == migrations.Count)
        {
            // Up to date, as nearly every time: two reads, no write lock, nothing written.
            return;
        }

        await using var transaction = await BeginWriteAsync(connection, "repro.migrate", cancellationToken);
        await ExecuteAsync(connection, transaction, ModulesTable, cancellationToken);
        await using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT version FROM schema_modules WHERE module = @module";
        AddParameter(read, "module", module);
        var current = Convert.ToInt64(await read.ExecuteScalarAsync(cancellationToken) ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
        if (current > migrations.Count)
        {
            throw ReproException.CannotExecute($"the {module} tables in {Display} are at schema version {current}, newer than this repro knows ({migrations.Count}); upgrade repro");
        }

        for (var version = (int)current; version < migrations.Count; version++)
        {
            await ExecuteAsync(connection, transaction, migrations[version], cancellationToken);
        }

        await using var write = connection.CreateCommand();
        write.Transaction = transaction;
        write.CommandText = "INSERT INTO schema_modules(module, version) VALUES (@module, @version) ON CONFLICT(module) DO UPDATE SET version = excluded.version";
        AddParameter(write, "module", module);
        AddParameter(write, "version", (long)migrations.Count);
        await write.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The schema version <paramref name="module"/> has in the store, or null before its first migration (read without a lock).</summary>
    private async Task<long?> VersionAsync(DbConnection connection, string module, CancellationToken cancellationToken)
    {
        await using var exists = connection.CreateCommand();
        exists.CommandText = Kind == SqlKind.Sqlite
            ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_modules'"
            : "SELECT CASE WHEN to_regclass('schema_modules') IS NULL THEN 0 ELSE 1 END";
        if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            return null;
        }

        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT version FROM schema_modules WHERE module = @module";
        AddParameter(read, "module", module);
        return await read.ExecuteScalarAsync(cancellationToken) is { } version and not DBNull
            ? Convert.ToInt64(version, System.Globalization.CultureInfo.InvariantCulture)
            : null;
    }

    /// <summary>Adds a named parameter (<c>@name</c> in the SQL); null becomes SQL NULL.</summary>
    public static DbParameter AddParameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    public static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public void StartBackgroundMaintenance()
    {
        if (_maintenance is not null)
        {
            return;
        }

        _maintenance = Kind == SqlKind.Sqlite
            ? Task.Run(() => CheckpointLoopAsync(_stopMaintenance.Token))
            : Task.Run(() => AnalyzeLoopAsync(_stopMaintenance.Token));
    }

    /// <summary>
    /// PostgreSQL: a turn every <see cref="AnalyzePeriod"/> refreshes the planner's statistics of
    /// the searched tables that gained more new rows than autovacuum's own threshold (50 rows and
    /// a tenth of the table) since the loop last analysed them. Updates in place (a metric's
    /// latest value, logged again and again) do not count: analysing those tables every turn cost
    /// 0.45 s of the database's CPU a turn under the load bench, and autovacuum sees to them.
    /// Autovacuum looks once a minute; a burst of new runs searched at once (an import, a sweep)
    /// was planned meanwhile from statistics that had none of them: a runs/search over 2,000 fresh runs sorted every match
    /// (29 ms) instead of walking the metric's index (6 ms once analysed). A user who may analyse
    /// none of the tables leaves them to autovacuum; a turn refused for lack of a right ends the loop.
    /// </summary>
    private async Task AnalyzeLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(AnalyzePeriod);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await AnalyzeStaleTablesAsync(cancellationToken);
                }
                catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
                {
                    return;
                }
                catch (DbException)
                {
                    // The server restarting, say: the next turn tries again.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Tables the PostgreSQL maintenance loop has analysed so far (for tests).</summary>
    internal long AnalyzedTables => Interlocked.Read(ref _analyzedTables);

    /// <summary>Turns of the PostgreSQL maintenance loop so far (for tests).</summary>
    internal long AnalyzeTurns => Interlocked.Read(ref _analyzeTurns);

    /// <summary>
    /// One turn: only tables this user may analyse (it owns them, is a member of their owner's
    /// role, or owns the database) are looked at. PostgreSQL skips any other with a warning
    /// rather than an error, so an ANALYZE of them would only cost a statement and a log line.
    /// </summary>
    private async Task AnalyzeStaleTablesAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _analyzeTurns);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var stale = new List<(string Table, long Inserted)>();
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = """
                SELECT s.relid::regclass::text, s.n_tup_ins, s.n_mod_since_analyze, s.n_live_tup
                FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
                WHERE s.relid IN (SELECT to_regclass(n) FROM unnest(@names) n)
                    AND (pg_has_role(c.relowner, 'USAGE') OR pg_has_role((SELECT datdba FROM pg_database WHERE datname = current_database()), 'USAGE'))
                """;
            AddParameter(read, "names", SearchedTables);
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var table = reader.GetString(0);
                var inserted = reader.GetInt64(1);
                // Seen for the first time: what changed since its last analysis counts as new.
                var since = _insertedAtAnalysis.TryGetValue(table, out var then) ? inserted - then : reader.GetInt64(2);
                if (since > 50 + (0.1 * Math.Max(reader.GetInt64(3), 0)))
                {
                    stale.Add((table, inserted));
                }
                else if (!_insertedAtAnalysis.ContainsKey(table))
                {
                    _insertedAtAnalysis[table] = inserted;
                }
            }
        }

        if (stale.Count > 0)
        {
            // The names come from the catalog, quoted by regclass as needed.
            await ExecuteAsync(connection, null, "ANALYZE " + string.Join(", ", stale.Select(t => t.Table)), cancellationToken);
            Interlocked.Add(ref _analyzedTables, stale.Count);
            foreach (var (table, inserted) in stale)
            {
                _insertedAtAnalysis[table] = inserted;
            }
        }
    }

    /// <summary>
    /// A PASSIVE checkpoint a turn: it copies committed pages into the file beside the writers,
    /// never blocking them. SQLite's own checkpoint still runs in the commit that takes the WAL
    /// past 1000 pages (and only there does the WAL start over, writers being held then), but
    /// finds most pages copied already: the write lock is held for the rest and two fsyncs, not
    /// for all 1000 pages. (Checkpoints left to the loop alone let 20 busy writers grow the WAL to
    /// 870 MB: it only starts over when a checkpoint has caught up before the next write.)
    /// </summary>
    private async Task CheckpointLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(CheckpointPeriod);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await using var connection = await OpenConnectionAsync(cancellationToken);
                    await ExecuteAsync(connection, null, "PRAGMA wal_checkpoint(PASSIVE)", cancellationToken);
                }
                catch (SqliteException)
                {
                    // A failed turn (the disk full, the file gone) leaves the WAL to the next turn;
                    // every commit in it is already as safe as one in the file.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_maintenance is { } maintenance)
        {
            await _stopMaintenance.CancelAsync();
            await maintenance;
        }

        _stopMaintenance.Dispose();
        await _source.DisposeAsync();
        if (Kind == SqlKind.Sqlite)
        {
            // Pooled SQLite connections outlive their data source: let the file go with it, so a
            // host that opens the workspace again in the same process sees the file as it is now.
            using var connection = new SqliteConnection(_source.ConnectionString);
            SqliteConnection.ClearPool(connection);
        }
    }
}
