using System.Text;

namespace Repro.Storage.Sql.Tracking;

/// <summary>
/// MLflow's tracking model over the store's database: experiments, and runs that are ordinary
/// repro runs. A run created here is a provisional "running" row in the runs table whose params,
/// tags and latest metrics are written to the run store's tables as they are logged (so
/// <c>repro runs</c>, <c>repro show</c> and the web UI see them) with the full metric history in
/// this module's own table; ending it seals it through <see cref="IRunStore.SaveAsync"/>.
/// Portable SQL only: the same statements run on SQLite and PostgreSQL.
/// </summary>
public sealed partial class TrackingStore : ITrackingStore
{
    public const string DefaultExperimentId = TrackingDefaults.DefaultExperimentId;
    public const string RunNameTag = TrackingDefaults.RunNameTag;

    // The runs tables are shared with SqlRunStore: one lock, so a seal never interleaves with a log-batch.
    private const string WriteLock = SqlRunStore.WriteLock;

    private readonly SqlDatabase _database;
    private readonly IRunStore _runs;
    private readonly TimeProvider _time;
    private readonly string _artifactRoot;

    // SQLite's busy handler sleeps when writers collide; queueing them here keeps concurrent
    // clients of one server at full speed (the database lock still guards other processes).
    private readonly SemaphoreSlim _writeTurn = new(1, 1);

    private TrackingStore(SqlDatabase database, IRunStore runs, TimeProvider time, string artifactRoot)
    {
        _database = database;
        _runs = runs;
        _time = time;
        _artifactRoot = artifactRoot.TrimEnd('/');
    }

    /// <summary>
    /// Opens the tracking tables (migrating them as needed). <paramref name="artifactRoot"/> is
    /// the URI under which experiments without their own artifact location keep artifacts.
    /// </summary>
    public static async Task<TrackingStore> OpenAsync(SqlDatabase database, IRunStore runs, TimeProvider time, string artifactRoot, CancellationToken cancellationToken)
    {
        await database.MigrateAsync(TrackingSchema.Module, TrackingSchema.Migrations, cancellationToken);
        await Search.SqlRunSearch.MigrateAsync(database, cancellationToken);
        return new TrackingStore(database, runs, time, artifactRoot);
    }

    /// <summary>The artifact root of a workspace: a file URI of its .repro/mlartifacts folder.</summary>
    public static string ArtifactRootFor(string reproDirectory) => TrackingDefaults.ArtifactRootFor(reproDirectory);

    public void Dispose() => _writeTurn.Dispose();

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Runs <paramref name="body"/> in one serialised write transaction and commits it.</summary>
    private async Task<T> WriteAsync<T>(DbConnection connection, Func<DbTransaction, Task<T>> body, CancellationToken cancellationToken)
    {
        await _writeTurn.WaitAsync(cancellationToken);
        try
        {
            await using var transaction = await _database.BeginWriteAsync(connection, WriteLock, cancellationToken);
            var result = await body(transaction);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        finally
        {
            _writeTurn.Release();
        }
    }

    private static DbCommand Sql(DbConnection connection, DbTransaction? transaction, string text, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = text;
        foreach (var (name, value) in parameters)
        {
            SqlDatabase.AddParameter(command, name, value);
        }

        return command;
    }

    private static async Task<bool> ExistsAsync(DbConnection connection, DbTransaction? transaction, string sql, string id, CancellationToken cancellationToken)
    {
        await using var command = Sql(connection, transaction, sql, ("id", id));
        return await command.ExecuteScalarAsync(cancellationToken) is not null and not DBNull;
    }

    private static string Digest(RunManifest manifest, out string text)
    {
        var json = CanonicalJson.Serialize(manifest);
        text = Encoding.UTF8.GetString(json);
        return Sha256Hasher.HashBytes(json);
    }

    private static long? NullableLong(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    private static RunManifest ParseManifest(string json) => CanonicalJson.Deserialize<RunManifest>(json);
}
