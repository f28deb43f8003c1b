using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
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

    // Writes one group commit takes at most, and the savepoint each of them runs in.
    private const int MaxGroupedWrites = 64;
    private const string GroupSavepoint = "repro_write";

    private readonly SqlDatabase _database;
    private readonly IRunStore _runs;
    private readonly TimeProvider _time;
    private readonly string _artifactRoot;

    // SQLite's busy handler sleeps when writers collide; queueing them here keeps concurrent
    // clients of one server at full speed (the database lock still guards other processes).
    private readonly SemaphoreSlim _writeTurn = new(1, 1);
    private readonly ConcurrentQueue<QueuedWrite> _queuedWrites = new();

    // One search over the tracking columns for every runs/search (its module migrated once).
    private readonly Search.SqlRunSearch _search;

    private TrackingStore(SqlDatabase database, IRunStore runs, TimeProvider time, string artifactRoot)
    {
        _database = database;
        _runs = runs;
        _time = time;
        _artifactRoot = artifactRoot.TrimEnd('/');
        _search = new Search.SqlRunSearch(database, SearchColumns);
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

    /// <summary>Writes that ran in a group of more than one, so far (for tests).</summary>
    internal long GroupedWrites => Interlocked.Read(ref _groupedWrites);

    /// <summary>Writes waiting for the write turn (for tests).</summary>
    internal int QueuedWrites => _queuedWrites.Count;

    private long _groupedWrites;

    /// <summary>Holds the write turn until disposed, as a long write would (for tests: writes queue behind it).</summary>
    internal async Task<IDisposable> HoldWriteTurnAsync()
    {
        await _writeTurn.WaitAsync();
        return new TurnHold(_writeTurn);
    }

    private sealed class TurnHold(SemaphoreSlim turn) : IDisposable
    {
        public void Dispose() => turn.Release();
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Runs <paramref name="body"/> in a serialised write transaction and commits it, with group
    /// commit: whoever gets the write turn runs every write queued behind it (up to
    /// <see cref="MaxGroupedWrites"/>) in one transaction, each inside its own savepoint, and
    /// commits once. A write that fails rolls back to its savepoint and fails alone; a commit
    /// that fails fails the whole group. Twenty clients logging at once then share commits
    /// instead of waiting through twenty of them.
    /// </summary>
    private async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> body, CancellationToken cancellationToken)
    {
        var write = new QueuedWrite<T>(body, cancellationToken);
        _queuedWrites.Enqueue(write);

        // Cancelled while waiting: the write stays queued and is skipped, unrun, by the next group.
        await _writeTurn.WaitAsync(cancellationToken);
        try
        {
            while (!write.Done)
            {
                await RunQueuedWritesAsync();
            }
        }
        finally
        {
            _writeTurn.Release();
        }

        return write.Result();
    }

    /// <summary>One group: the queued writes in order, in one transaction. Called holding the write turn.</summary>
    private async Task RunQueuedWritesAsync()
    {
        var group = new List<QueuedWrite>();
        while (group.Count < MaxGroupedWrites && _queuedWrites.TryDequeue(out var next))
        {
            if (next.CancellationToken.IsCancellationRequested)
            {
                next.Fail(new OperationCanceledException(next.CancellationToken));
            }
            else
            {
                group.Add(next);
            }
        }

        if (group.Count == 0)
        {
            return;
        }

        await RunGroupAsync(group);
    }

    private async Task RunGroupAsync(List<QueuedWrite> group)
    {
        if (group.Count > 1)
        {
            Interlocked.Add(ref _groupedWrites, group.Count);
            if (await TryRunTogetherAsync(group))
            {
                return;
            }
        }

        var succeeded = new List<QueuedWrite>(group.Count);
        try
        {
            await using var connection = await _database.OpenConnectionAsync(CancellationToken.None);
            await using var transaction = await _database.BeginWriteAsync(connection, WriteLock, CancellationToken.None);
            if (group.Count == 1)
            {
                // Alone: no savepoint; a failure rolls the transaction back when it is disposed.
                if (await RunOneAsync(group[0], connection, transaction))
                {
                    succeeded.Add(group[0]);
                }
            }
            else
            {
                foreach (var write in group)
                {
                    await transaction.SaveAsync(GroupSavepoint, CancellationToken.None);
                    if (await RunOneAsync(write, connection, transaction))
                    {
                        succeeded.Add(write);
                    }
                    else
                    {
                        await transaction.RollbackAsync(GroupSavepoint, CancellationToken.None);
                    }

                    await transaction.ReleaseAsync(GroupSavepoint, CancellationToken.None);
                }
            }

            if (succeeded.Count > 0)
            {
                await transaction.CommitAsync(CancellationToken.None);
            }
        }
        catch (Exception ex)
        {
            FailAll(group, ex);
            return;
        }

        foreach (var write in succeeded)
        {
            write.Succeed();
        }
    }

    /// <summary>
    /// The usual case of a group: every write in one transaction with no savepoints (two round
    /// trips a write fewer). When one of them fails, the whole transaction is rolled back and this
    /// returns false, and the group runs again a savepoint a write, so the failure stays its own.
    /// A write's body only touches the database, so running it twice is the same as running it once.
    /// </summary>
    private async Task<bool> TryRunTogetherAsync(List<QueuedWrite> group)
    {
        try
        {
            await using var connection = await _database.OpenConnectionAsync(CancellationToken.None);
            await using var transaction = await _database.BeginWriteAsync(connection, WriteLock, CancellationToken.None);
            foreach (var write in group)
            {
                try
                {
                    await write.RunAsync(connection, transaction);
                }
                catch (Exception)
                {
                    return false; // the transaction is rolled back when it is disposed
                }
            }

            await transaction.CommitAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The connection, the lock or the commit failed: the group fails as a whole, as with savepoints.
            FailAll(group, ex);
            return true;
        }

        foreach (var write in group)
        {
            write.Succeed();
        }

        return true;
    }

    /// <summary>Fails every write of the group not already failed by its own error.</summary>
    private static void FailAll(List<QueuedWrite> group, Exception error)
    {
        foreach (var write in group.Where(w => !w.Done))
        {
            write.Fail(error);
        }
    }

    private static async Task<bool> RunOneAsync(QueuedWrite write, DbConnection connection, DbTransaction transaction)
    {
        try
        {
            await write.RunAsync(connection, transaction);
            return true;
        }
        catch (Exception ex)
        {
            write.Fail(ex);
            return false;
        }
    }

    private abstract class QueuedWrite(CancellationToken cancellationToken)
    {
        private ExceptionDispatchInfo? _error;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public bool Done { get; private set; }

        public abstract Task RunAsync(DbConnection connection, DbTransaction transaction);

        public void Succeed() => Done = true;

        /// <summary>Failed: its own error, or the group's when the commit failed after it ran (then it was rolled back too).</summary>
        public void Fail(Exception error)
        {
            _error = ExceptionDispatchInfo.Capture(error);
            Done = true;
        }

        protected void ThrowIfFailed() => _error?.Throw();
    }

    private sealed class QueuedWrite<T>(Func<DbConnection, DbTransaction, Task<T>> body, CancellationToken cancellationToken) : QueuedWrite(cancellationToken)
    {
        private T? _result;

        public override async Task RunAsync(DbConnection connection, DbTransaction transaction) => _result = await body(connection, transaction);

        public T Result()
        {
            ThrowIfFailed();
            return _result!;
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
