using Repro.Judging.Studies.Slurm;

namespace Repro.Storage.Sql.Studies;

/// <summary>
/// Slurm studies in flight, in the store's database beside the runs: the spec, each batch's job
/// id and each seed's attempts. Written before waiting, so a waiter killed at any point can be
/// replaced by <c>repro study ID --wait</c>, and read by the tasks on the nodes.
/// </summary>
public sealed class SlurmStudyStore : IStudyStore
{
    private const string Module = "slurm";

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE slurm_studies(id TEXT PRIMARY KEY, name TEXT, spec TEXT NOT NULL, created_at TEXT NOT NULL);
        CREATE TABLE slurm_batches(study_id TEXT NOT NULL, batch BIGINT NOT NULL, job_id TEXT, PRIMARY KEY(study_id, batch));
        CREATE TABLE slurm_tasks(
            study_id TEXT NOT NULL,
            batch BIGINT NOT NULL,
            task_index BIGINT NOT NULL,
            seed BIGINT NOT NULL,
            run_id TEXT NOT NULL,
            state TEXT,
            exit_code BIGINT,
            signal BIGINT,
            node TEXT,
            recorded BIGINT NOT NULL DEFAULT 0,
            PRIMARY KEY(study_id, batch, task_index));
        CREATE INDEX slurm_tasks_seed ON slurm_tasks(study_id, seed, batch);
        """,
    ];

    private readonly SqlDatabase _database;

    private SlurmStudyStore(SqlDatabase database) => _database = database;

    /// <summary>Opens the tables, migrating them first if needed (a task on a node only reads, so it can start while a writer holds the store).</summary>
    public static async Task<SlurmStudyStore> OpenAsync(SqlDatabase database, CancellationToken cancellationToken)
    {
        if (await VersionAsync(database, cancellationToken) != Migrations.Length)
        {
            await database.MigrateAsync(Module, Migrations, cancellationToken);
        }

        return new SlurmStudyStore(database);
    }

    private static async Task<long?> VersionAsync(SqlDatabase database, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await using var read = connection.CreateCommand();
            read.CommandText = "SELECT version FROM schema_modules WHERE module = @module";
            SqlDatabase.AddParameter(read, "module", Module);
            return await read.ExecuteScalarAsync(cancellationToken) is { } version and not DBNull ? Convert.ToInt64(version, CultureInfo.InvariantCulture) : null;
        }
        catch (DbException)
        {
            // No schema_modules table yet: migrating creates it.
            return null;
        }
    }

    /// <summary>Saves a new study and its first batch of tasks in one transaction.</summary>
    public async Task CreateAsync(SlurmStudySpec spec, IReadOnlyList<SlurmSeedTask> tasks, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _database.BeginWriteAsync(connection, "repro.slurm", cancellationToken);
        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO slurm_studies(id, name, spec, created_at) VALUES (@id, @name, @spec, @at)";
            SqlDatabase.AddParameter(insert, "id", spec.Id);
            SqlDatabase.AddParameter(insert, "name", spec.Name);
            SqlDatabase.AddParameter(insert, "spec", System.Text.Encoding.UTF8.GetString(CanonicalJson.Serialize(spec)));
            SqlDatabase.AddParameter(insert, "at", spec.StartedAt.ToString("O", CultureInfo.InvariantCulture));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await InsertTasksAsync(connection, transaction, tasks, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Adds a batch (a resubmission) of tasks, before it is submitted.</summary>
    public async Task AddBatchAsync(IReadOnlyList<SlurmSeedTask> tasks, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _database.BeginWriteAsync(connection, "repro.slurm", cancellationToken);
        await InsertTasksAsync(connection, transaction, tasks, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Records the job id sbatch gave a batch.</summary>
    public async Task SetJobAsync(string studyId, int batch, string jobId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _database.BeginWriteAsync(connection, "repro.slurm", cancellationToken);
        await using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = "UPDATE slurm_batches SET job_id = @job WHERE study_id = @study AND batch = @batch";
        SqlDatabase.AddParameter(update, "job", jobId);
        SqlDatabase.AddParameter(update, "study", studyId);
        SqlDatabase.AddParameter(update, "batch", (long)batch);
        await update.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Records how a task ended (only the first time: an ended task stays ended).</summary>
    public async Task SetEndedAsync(SlurmSeedTask task, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _database.BeginWriteAsync(connection, "repro.slurm", cancellationToken);
        await using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = "UPDATE slurm_tasks SET state = @state, exit_code = @exit, signal = @signal, node = @node, recorded = @recorded " +
            "WHERE study_id = @study AND batch = @batch AND task_index = @index AND state IS NULL";
        SqlDatabase.AddParameter(update, "state", task.State);
        SqlDatabase.AddParameter(update, "exit", task.ExitCode is { } exit ? (long)exit : null);
        SqlDatabase.AddParameter(update, "signal", task.Signal is { } signal ? (long)signal : null);
        SqlDatabase.AddParameter(update, "node", task.Node);
        SqlDatabase.AddParameter(update, "recorded", task.Recorded ? 1L : 0L);
        SqlDatabase.AddParameter(update, "study", task.StudyId);
        SqlDatabase.AddParameter(update, "batch", (long)task.Batch);
        SqlDatabase.AddParameter(update, "index", (long)task.TaskIndex);
        await update.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<SlurmStudySpec?> GetAsync(string studyId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT spec FROM slurm_studies WHERE id = @id";
        SqlDatabase.AddParameter(read, "id", studyId);
        return await read.ExecuteScalarAsync(cancellationToken) is string json ? CanonicalJson.Deserialize<SlurmStudySpec>(json) : null;
    }

    /// <summary>Ids of Slurm studies that start with <paramref name="prefix"/> or are named <paramref name="prefix"/>, newest first.</summary>
    public async Task<IReadOnlyList<string>> FindAsync(string prefix, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT id FROM slurm_studies WHERE substr(id, 1, @length) = @prefix OR name = @prefix ORDER BY created_at DESC";
        SqlDatabase.AddParameter(read, "length", (long)prefix.Length);
        SqlDatabase.AddParameter(read, "prefix", prefix);
        var ids = new List<string>();
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>Every attempt of every seed, by batch and task index.</summary>
    public async Task<IReadOnlyList<SlurmSeedTask>> TasksAsync(string studyId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT batch, task_index, seed, run_id, state, exit_code, signal, node, recorded FROM slurm_tasks WHERE study_id = @study ORDER BY batch, task_index";
        SqlDatabase.AddParameter(read, "study", studyId);
        var tasks = new List<SlurmSeedTask>();
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tasks.Add(new SlurmSeedTask
            {
                StudyId = studyId,
                Batch = (int)reader.GetInt64(0),
                TaskIndex = (int)reader.GetInt64(1),
                Seed = reader.GetInt64(2),
                RunId = reader.GetString(3),
                State = reader.IsDBNull(4) ? null : reader.GetString(4),
                ExitCode = reader.IsDBNull(5) ? null : (int)reader.GetInt64(5),
                Signal = reader.IsDBNull(6) ? null : (int)reader.GetInt64(6),
                Node = reader.IsDBNull(7) ? null : reader.GetString(7),
                Recorded = reader.GetInt64(8) != 0,
            });
        }

        return tasks;
    }

    /// <summary>The job id of each batch submitted so far (a batch whose sbatch never answered has none).</summary>
    public async Task<IReadOnlyDictionary<int, string?>> JobsAsync(string studyId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT batch, job_id FROM slurm_batches WHERE study_id = @study ORDER BY batch";
        SqlDatabase.AddParameter(read, "study", studyId);
        var jobs = new SortedDictionary<int, string?>();
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs[(int)reader.GetInt64(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);
        }

        return jobs;
    }

    private static async Task InsertTasksAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<SlurmSeedTask> tasks, CancellationToken cancellationToken)
    {
        foreach (var batch in tasks.Select(t => (t.StudyId, t.Batch)).Distinct())
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO slurm_batches(study_id, batch, job_id) VALUES (@study, @batch, NULL)";
            SqlDatabase.AddParameter(insert, "study", batch.StudyId);
            SqlDatabase.AddParameter(insert, "batch", (long)batch.Batch);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var task in tasks)
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO slurm_tasks(study_id, batch, task_index, seed, run_id) VALUES (@study, @batch, @index, @seed, @run)";
            SqlDatabase.AddParameter(insert, "study", task.StudyId);
            SqlDatabase.AddParameter(insert, "batch", (long)task.Batch);
            SqlDatabase.AddParameter(insert, "index", (long)task.TaskIndex);
            SqlDatabase.AddParameter(insert, "seed", task.Seed);
            SqlDatabase.AddParameter(insert, "run", task.RunId);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
