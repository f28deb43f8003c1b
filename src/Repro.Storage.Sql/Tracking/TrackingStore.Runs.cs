using System.Globalization;
using System.Text;

namespace Repro.Storage.Sql.Tracking;

public sealed partial class TrackingStore
{
    private const int PairsPerStatement = 200;

    private const string RunColumns = """
        r.id, r.name, r.status, r.created_at, r.wall_seconds,
        t.experiment_id, t.user_id, t.status, t.start_time, t.end_time, t.lifecycle_stage, t.artifact_uri, t.linked
        """;

    /// <summary>
    /// Creates a live run: a provisional "running" repro run in <paramref name="experimentId"/>.
    /// <paramref name="runId"/> is given by <c>repro run</c> (its own run id) and by imports;
    /// <paramref name="linked"/> runs are sealed by the <c>repro run</c> that owns them, not by runs/update.
    /// </summary>
    public async Task<MlflowRun> CreateRunAsync(NewRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        foreach (var (key, value) in run.Tags)
        {
            MlflowValidation.Tag(key, value);
        }

        var id = run.RunId ?? Repro.Recording.RunId.New();

        // The run as inserted is the run as it would be read back: no second read after the write.
        return await WriteAsync((connection, transaction) => InsertRunAsync(connection, transaction, run, id, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Inserts a live run in the caller's write transaction: one command of two reads (the
    /// experiment, whether the id is taken), then one of the inserts (the run, its MLflow
    /// attributes, its tags): two round trips in the write turn. Returns the run as inserted.
    /// </summary>
    private async Task<MlflowRun> InsertRunAsync(DbConnection connection, DbTransaction transaction, NewRun run, string id, CancellationToken cancellationToken, bool import = false)
    {
        string? stage = null;
        string? location = null;
        bool taken;
        await using (var read = Sql(
            connection,
            transaction,
            """
            SELECT lifecycle_stage, artifact_location FROM tracking_experiments WHERE experiment_id = @experiment;
            SELECT 1 FROM runs WHERE id = @id
            """,
            ("experiment", run.ExperimentId),
            ("id", id)))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                stage = reader.GetString(0);
                location = reader.GetString(1);
            }

            await reader.NextResultAsync(cancellationToken);
            taken = await reader.ReadAsync(cancellationToken);
        }

        if (stage is null)
        {
            throw TrackingException.NotFound($"No Experiment with id={run.ExperimentId} exists");
        }

        if (stage != "active" && !import)
        {
            throw TrackingException.InvalidState($"The experiment {run.ExperimentId} must be in the 'active' state. Current state is {stage}.");
        }

        if (taken)
        {
            throw TrackingException.AlreadyExists($"Run with id={id} already exists");
        }

        var tags = new SortedDictionary<string, string>(run.Tags.ToDictionary(), StringComparer.Ordinal);
        var name = !string.IsNullOrEmpty(run.RunName) ? run.RunName : tags.GetValueOrDefault(RunNameTag) is { Length: > 0 } tagged ? tagged : RunNames.Generate();
        tags[RunNameTag] = name;
        if (run.UserId is { Length: > 0 } user)
        {
            tags.TryAdd("mlflow.user", user);
        }

        var start = run.StartTime ?? NowMs;
        var provisional = ProvisionalManifest(id, name, DateTimeOffset.FromUnixTimeMilliseconds(start), run.Linked ? "run" : "tracked", tags);
        var digest = Digest(provisional, out var text);
        var artifacts = location is { Length: > 0 } ? location : $"{_artifactRoot}/{run.ExperimentId}";
        var artifactUri = $"{artifacts}/{id}/artifacts";
        var batch = new SqlBatch();
        var runValue = batch.Value(id);
        batch.Add($"""
            INSERT INTO runs(id, name, kind, parent_id, status, exit_code, created_at, wall_seconds, seed, digest, manifest)
            VALUES ({runValue}, {batch.Value(name)}, {batch.Value(provisional.Kind)}, {batch.Value(tags.GetValueOrDefault("mlflow.parentRunId"))}, 'running', 0, {batch.Value(SqlRunStore.FormatTime(provisional.CreatedAt))}, 0, NULL, {batch.Value(digest)}, {batch.Value(text)})
            """);
        batch.Add($"""
            INSERT INTO tracking_runs(run_id, experiment_id, user_id, status, start_time, end_time, lifecycle_stage, artifact_uri, linked, owner_host, owner_pid)
            VALUES ({runValue}, {batch.Value(run.ExperimentId)}, {batch.Value(run.UserId ?? string.Empty)}, {batch.Value(run.Status)}, {batch.Value(start)}, NULL, 'active', {batch.Value(artifactUri)}, {batch.Value(run.Linked ? 1L : 0L)}, {batch.Value(run.Owner?.Host)}, {batch.Value(run.Owner is { } owner ? (long?)owner.Pid : null)})
            """);
        AddPairsUpsert(batch, "tags", runValue, tags);
        await batch.ExecuteAsync(connection, transaction, cancellationToken);
        return new MlflowRun
        {
            Info = new MlflowRunInfo
            {
                RunId = id,
                RunName = name,
                ExperimentId = run.ExperimentId,
                UserId = run.UserId ?? string.Empty,
                Status = run.Status,
                StartTime = start,
                ArtifactUri = artifactUri,
                LifecycleStage = "active",
            },
            Tags = tags,
        };
    }

    public async Task<MlflowRun> GetRunAsync(string runId, CancellationToken cancellationToken)
    {
        var runs = await LoadRunsAsync([runId], cancellationToken);
        return runs.Count == 1 ? runs[0] : throw TrackingException.NotFound($"Run with id={runId} not found");
    }

    /// <summary>
    /// runs/update: a new status, end time or name. A terminal status (FINISHED, FAILED, KILLED)
    /// seals the run into an ordinary repro run, unless a <c>repro run</c> owns it and seals it
    /// itself when its command ends.
    /// </summary>
    public async Task<MlflowRunInfo> UpdateRunAsync(string runId, string? status, long? endTime, string? runName, CancellationToken cancellationToken)
    {
        if (status is not null && !MlflowStatus.All.Contains(status))
        {
            throw TrackingException.Invalid($"Invalid value \"{status}\" for parameter 'status' supplied: expected one of {string.Join(", ", MlflowStatus.All)}");
        }

        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await _writeTurn.WaitAsync(cancellationToken);
        try
        {
            bool seal;
            await using (var transaction = await _database.BeginWriteAsync(connection, WriteLock, cancellationToken))
            {
                var state = await RunStateAsync(connection, transaction, runId, cancellationToken);
                if (state.Sealed)
                {
                    if ((status is null || status == state.MlflowStatus) && runName is null)
                    {
                        await transaction.CommitAsync(cancellationToken);
                        return (await GetRunAsync(runId, cancellationToken)).Info;
                    }

                    throw Sealed(runId, state);
                }

                var newStatus = status ?? state.MlflowStatus;
                var end = MlflowStatus.IsTerminal(newStatus) ? endTime ?? NowMs : endTime;
                await using (var update = Sql(connection, transaction, "UPDATE tracking_runs SET status = @status, end_time = @end WHERE run_id = @id", ("status", newStatus), ("end", end), ("id", runId)))
                {
                    await update.ExecuteNonQueryAsync(cancellationToken);
                }

                if (runName is { Length: > 0 })
                {
                    await UpsertPairsAsync(connection, transaction, "tags", runId, [new(RunNameTag, runName)], cancellationToken);
                }

                await RefreshProvisionalAsync(connection, transaction, runId, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                seal = MlflowStatus.IsTerminal(newStatus) && !state.Linked;
            }

            if (seal)
            {
                var final = await FinalManifestAsync(connection, runId, cancellationToken);
                await _runs.SaveAsync(final, cancellationToken);
            }
        }
        finally
        {
            _writeTurn.Release();
        }

        return (await GetRunAsync(runId, cancellationToken)).Info;
    }

    public Task DeleteRunAsync(string runId, CancellationToken cancellationToken) => SetRunStageAsync(runId, "deleted", cancellationToken);

    public Task RestoreRunAsync(string runId, CancellationToken cancellationToken) => SetRunStageAsync(runId, "active", cancellationToken);

    private async Task SetRunStageAsync(string runId, string stage, CancellationToken cancellationToken)
    {
        await WriteAsync(async (connection, transaction) =>
        {
            var state = await RunStateAsync(connection, transaction, runId, cancellationToken, allowDeleted: true);
            if (!state.Tracked)
            {
                // A run recorded by `repro run` gets its MLflow attributes the first time they change.
                await using var insert = Sql(
                    connection,
                    transaction,
                    """
                    INSERT INTO tracking_runs(run_id, experiment_id, user_id, status, start_time, end_time, lifecycle_stage, artifact_uri, linked)
                    VALUES (@id, '0', '', @status, NULL, NULL, 'active', @artifacts, 0)
                    """,
                    ("id", runId),
                    ("status", state.MlflowStatus),
                    ("artifacts", $"{_artifactRoot}/0/{runId}/artifacts"));
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var update = Sql(connection, transaction, "UPDATE tracking_runs SET lifecycle_stage = @stage WHERE run_id = @id", ("stage", stage), ("id", runId));
            await update.ExecuteNonQueryAsync(cancellationToken);
            return 0;
        }, cancellationToken);
    }

    private sealed record RunState(string ReproStatus, bool Tracked, string MlflowStatus, string LifecycleStage, bool Linked)
    {
        public bool Sealed => ReproStatus != "running";
    }

    private static async Task<RunState> RunStateAsync(DbConnection connection, DbTransaction? transaction, string runId, CancellationToken cancellationToken, bool allowDeleted = false)
    {
        await using var read = Sql(
            connection,
            transaction,
            "SELECT r.status, t.status, t.lifecycle_stage, t.linked FROM runs r LEFT JOIN tracking_runs t ON t.run_id = r.id WHERE r.id = @id",
            ("id", runId));
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw TrackingException.NotFound($"Run with id={runId} not found");
        }

        var repro = reader.GetString(0);
        var tracked = !reader.IsDBNull(1);
        var state = new RunState(
            repro,
            tracked,
            tracked ? reader.GetString(1) : MlflowStatus.FromRepro(repro == "ok" ? RunStatus.Ok : repro == "running" ? RunStatus.Running : RunStatus.Failed),
            tracked ? reader.GetString(2) : "active",
            tracked && Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture) != 0);
        if (!allowDeleted && state.LifecycleStage != "active")
        {
            throw TrackingException.InvalidState($"The run {runId} must be in the 'active' state. Current state is {state.LifecycleStage}.");
        }

        return state;
    }

    private static TrackingException Sealed(string runId, RunState state) =>
        TrackingException.InvalidState($"The run {runId} is {state.MlflowStatus} and sealed in repro's record (status {state.ReproStatus}): it cannot change. Start a new run.");

    /// <summary>Sets <paramref name="pairs"/> on a run, in one command (see <see cref="AddPairsUpsert"/>).</summary>
    private static async Task UpsertPairsAsync(DbConnection connection, DbTransaction transaction, string table, string runId, IEnumerable<KeyValuePair<string, string>> pairs, CancellationToken cancellationToken)
    {
        var batch = new SqlBatch();
        AddPairsUpsert(batch, table, batch.Value(runId), pairs);
        await batch.ExecuteAsync(connection, transaction, cancellationToken);
    }

    /// <summary>
    /// Adds the statements setting <paramref name="pairs"/> of the run <paramref name="run"/> (a
    /// placeholder of <paramref name="batch"/>) in <paramref name="table"/>: a key given twice keeps
    /// its last value, as one upsert after another would; one statement for up to
    /// <see cref="PairsPerStatement"/> pairs.
    /// </summary>
    private static void AddPairsUpsert(SqlBatch batch, string table, string run, IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var last = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            last[key] = value;
        }

        foreach (var chunk in last.Chunk(PairsPerStatement))
        {
            var rows = string.Join(", ", chunk.Select(pair => $"({run}, {batch.Value(pair.Key)}, {batch.Value(pair.Value)})"));
            batch.Add($"INSERT INTO {table}(run_id, key, value) VALUES {rows} ON CONFLICT(run_id, key) DO UPDATE SET value = excluded.value");
        }
    }
}
