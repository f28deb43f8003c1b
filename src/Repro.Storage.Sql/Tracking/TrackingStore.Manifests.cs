
namespace Repro.Storage.Sql.Tracking;

public sealed partial class TrackingStore
{
    internal const string NoCaptureNote = "logged through the MLflow API: code, data and environment were not captured; run the script under `repro run` while `repro ui` serves this workspace to record them";

    private static RunManifest ProvisionalManifest(string id, string name, DateTimeOffset start, string kind, IReadOnlyDictionary<string, string> tags) => new()
    {
        Id = id,
        Name = name,
        Kind = kind,
        Status = RunStatus.Running,
        CreatedAt = start,
        Code = new CodeSnapshot { Kind = "none", Note = NoCaptureNote },
        Deps = [],
        Outputs = [],
        Params = new SortedDictionary<string, string>(StringComparer.Ordinal),
        ParamsFiles = [],
        Determinism = new DeterminismProfile(),
        Environment = new EnvironmentSnapshot(),
        Metrics = new MetricsRecord(),
        Execution = new ExecutionRecord
        {
            Argv = [],
            Command = [],
            WorkingDir = ".",
            StartedAt = start,
            EndedAt = start,
            Stdout = new CapturedOutput(),
            Stderr = new CapturedOutput(),
            Executor = "mlflow",
        },
        Tags = new SortedDictionary<string, string>(tags.ToDictionary(), StringComparer.Ordinal),
        Warnings = [],
    };

    /// <summary>Rewrites a live run's provisional manifest from its rows, so <c>repro show</c> sees what has been logged.</summary>
    private static async Task RefreshProvisionalAsync(DbConnection connection, DbTransaction transaction, string runId, CancellationToken cancellationToken, SqlBatch? writes = null)
    {
        // One command, one round trip inside the write turn: the writes given (a log-batch's),
        // then the manifest, params, tags and final values (on PostgreSQL each was a round trip
        // while the other writers waited).
        var batch = writes ?? new SqlBatch();
        var id = batch.Value(runId);
        batch.Add($"SELECT manifest FROM runs WHERE id = {id} AND status = 'running'");
        batch.Add($"SELECT key, value FROM params WHERE run_id = {id}");
        batch.Add($"SELECT key, value FROM tags WHERE run_id = {id}");
        batch.Add($"SELECT key, value FROM metrics WHERE run_id = {id}");
        string? json = null;
        SortedDictionary<string, string> parameters, tags;
        var values = new SortedDictionary<string, double>(StringComparer.Ordinal);
        await using (var read = batch.Command(connection, transaction))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                json = reader.GetString(0);
            }

            await reader.NextResultAsync(cancellationToken);
            parameters = await KeyValuesAsync(reader, cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            tags = await KeyValuesAsync(reader, cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                values[reader.GetString(0)] = reader.IsDBNull(1) ? double.NaN : reader.GetDouble(1);
            }
        }

        if (json is null)
        {
            return;
        }

        var manifest = ParseManifest(json);
        var name = tags.GetValueOrDefault(RunNameTag) ?? manifest.Name;
        manifest = manifest with { Name = name, Params = parameters, Tags = tags, Metrics = manifest.Metrics with { Values = values } };
        var digest = Digest(manifest, out var updated);
        await using var write = Sql(connection, transaction, "UPDATE runs SET name = @name, digest = @digest, manifest = @manifest WHERE id = @id AND status = 'running'", ("name", name), ("digest", digest), ("manifest", updated), ("id", runId));
        await write.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The sealed manifest of a live run: its provisional one with everything logged, the final status and times.</summary>
    private static async Task<RunManifest> FinalManifestAsync(DbConnection connection, string runId, CancellationToken cancellationToken)
    {
        string json;
        string status;
        long? start;
        long? end;
        await using (var read = Sql(
            connection,
            null,
            "SELECT r.manifest, t.status, t.start_time, t.end_time FROM runs r JOIN tracking_runs t ON t.run_id = r.id WHERE r.id = @id",
            ("id", runId)))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw TrackingException.NotFound($"Run with id={runId} not found");
            }

            json = reader.GetString(0);
            status = reader.GetString(1);
            start = NullableLong(reader, 2);
            end = NullableLong(reader, 3);
        }

        var manifest = ParseManifest(json);
        var (values, steps) = await LoggedMetricsAsync(connection, runId, cancellationToken);
        var startedAt = start is { } s ? DateTimeOffset.FromUnixTimeMilliseconds(s) : manifest.CreatedAt;
        var endedAt = end is { } e ? DateTimeOffset.FromUnixTimeMilliseconds(e) : startedAt;
        var tags = await PairsAsync(connection, null, "tags", runId, cancellationToken);
        return manifest with
        {
            Name = tags.GetValueOrDefault(RunNameTag) ?? manifest.Name,
            Status = MlflowStatus.ToRepro(status) == RunStatus.Ok ? RunStatus.Ok : RunStatus.Failed,
            CreatedAt = startedAt,
            Params = await PairsAsync(connection, null, "params", runId, cancellationToken),
            Tags = tags,
            Metrics = manifest.Metrics with { Values = values, Steps = steps },
            Execution = manifest.Execution with
            {
                StartedAt = startedAt,
                EndedAt = endedAt,
                WallSeconds = Math.Max(0, (endedAt - startedAt).TotalSeconds),
                ExitCode = status == MlflowStatus.Finished ? 0 : 1,
                Cancelled = status == MlflowStatus.Killed,
            },
        };
    }

    /// <summary>
    /// What a live run has logged so far, every step of every metric, as its sealed manifest will
    /// hold it: the UI draws a running run's charts from this, as MLflow's does.
    /// </summary>
    public async Task<MetricsRecord> LiveMetricsAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        var (values, steps) = await LoggedMetricsAsync(connection, runId, cancellationToken);
        return new MetricsRecord { Values = values, Steps = steps };
    }

    private static async Task<(SortedDictionary<string, double> Values, SortedDictionary<string, IReadOnlyList<MetricStep>> Steps)> LoggedMetricsAsync(DbConnection connection, string runId, CancellationToken cancellationToken)
    {
        var values = new SortedDictionary<string, double>(StringComparer.Ordinal);
        await using (var read = Sql(connection, null, "SELECT key, value, is_nan FROM tracking_latest WHERE run_id = @id", ("id", runId)))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                values[reader.GetString(0)] = reader.GetInt64(2) != 0 ? double.NaN : reader.GetDouble(1);
            }
        }

        var steps = new SortedDictionary<string, IReadOnlyList<MetricStep>>(StringComparer.Ordinal);
        foreach (var point in await HistoryAsync(connection, runId, null, cancellationToken))
        {
            if (!steps.TryGetValue(point.Key, out var list))
            {
                steps[point.Key] = list = new List<MetricStep>();
            }

            ((List<MetricStep>)list).Add(new MetricStep(point.Step, point.Value));
        }

        return (values, steps);
    }

    private static async Task<SortedDictionary<string, string>> PairsAsync(DbConnection connection, DbTransaction? transaction, string table, string runId, CancellationToken cancellationToken)
    {
        await using var read = Sql(connection, transaction, $"SELECT key, value FROM {table} WHERE run_id = @id", ("id", runId));
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        return await KeyValuesAsync(reader, cancellationToken);
    }

    /// <summary>The (key, value) rows of the reader's current result, by key.</summary>
    private static async Task<SortedDictionary<string, string>> KeyValuesAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var pairs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            pairs[reader.GetString(0)] = reader.GetString(1);
        }

        return pairs;
    }

    // ---- repro run ----

    /// <summary>
    /// The live run a <c>repro run</c> hands its command through <c>MLFLOW_RUN_ID</c>: it has the
    /// repro run's id and is sealed by <see cref="CompleteLinkedAsync"/>, not by the script's end_run.
    /// <paramref name="experimentName"/> is created if it does not exist.
    /// </summary>
    public async Task<MlflowRun> CreateLinkedRunAsync(string runId, string? experimentName, string? experimentId, string? runName, string? userId, RunOwner owner, CancellationToken cancellationToken)
    {
        var experiment = experimentId ?? DefaultExperimentId;
        if (experimentId is null && !string.IsNullOrEmpty(experimentName))
        {
            experiment = (await GetExperimentByNameAsync(experimentName, cancellationToken))?.ExperimentId
                ?? await CreateExperimentAsync(experimentName, null, new Dictionary<string, string>(), cancellationToken);
        }

        var tags = new Dictionary<string, string>(StringComparer.Ordinal) { ["mlflow.source.type"] = "LOCAL" };
        return await CreateRunAsync(new NewRun { RunId = runId, ExperimentId = experiment, RunName = runName, UserId = userId, Linked = true, Tags = tags, Owner = owner }, cancellationToken);
    }

    /// <summary>
    /// Folds what the script logged onto its linked run into the manifest <c>repro run</c> is about
    /// to save: params and tags it logged (repro's own --param and --tag win), metrics and their
    /// steps (values from --metrics files win), and the MLflow status from the exit code. The
    /// save then replaces the provisional row.
    /// </summary>
    public async Task<RunManifest> CompleteLinkedAsync(RunManifest manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        var logged = await PairsAsync(connection, null, "params", manifest.Id, cancellationToken);
        var tags = await PairsAsync(connection, null, "tags", manifest.Id, cancellationToken);
        var (values, steps) = await LoggedMetricsAsync(connection, manifest.Id, cancellationToken);
        var warnings = manifest.Warnings.ToList();
        var parameters = new SortedDictionary<string, string>(manifest.Params.ToDictionary(), StringComparer.Ordinal);
        foreach (var (key, value) in logged)
        {
            if (parameters.TryGetValue(key, out var given) && given != value)
            {
                warnings.Add($"param {key}: the script logged '{value}' through MLflow, repro recorded --param '{given}'");
                continue;
            }

            parameters[key] = value;
        }

        foreach (var (key, value) in manifest.Tags)
        {
            tags[key] = value;
        }

        foreach (var (key, value) in manifest.Metrics.Values)
        {
            values[key] = value;
        }

        foreach (var (key, history) in manifest.Metrics.Steps)
        {
            steps[key] = history;
        }

        var status = manifest.Status == RunStatus.Ok ? MlflowStatus.Finished : manifest.Execution.Cancelled ? MlflowStatus.Killed : MlflowStatus.Failed;
        await WriteAsync(async (connection, transaction) =>
        {
            await using var update = Sql(
                connection,
                transaction,
                "UPDATE tracking_runs SET status = @status, end_time = @end, start_time = COALESCE(start_time, @start) WHERE run_id = @id",
                ("status", status),
                ("end", manifest.Execution.EndedAt.ToUnixTimeMilliseconds()),
                ("start", manifest.Execution.StartedAt.ToUnixTimeMilliseconds()),
                ("id", manifest.Id));
            await update.ExecuteNonQueryAsync(cancellationToken);
            return 0;
        }, cancellationToken);

        return manifest with
        {
            Name = manifest.Name ?? tags.GetValueOrDefault(RunNameTag),
            Params = parameters,
            Tags = tags,
            Metrics = manifest.Metrics with { Values = values, Steps = steps },
            Warnings = warnings,
        };
    }

    /// <summary>Removes a linked run whose <c>repro run</c> recorded nothing (its command could not start).</summary>
    public async Task DiscardLinkedAsync(string runId, CancellationToken cancellationToken)
    {
        await WriteAsync(async (connection, transaction) =>
        {
            if (!await ExistsAsync(connection, transaction, "SELECT 1 FROM runs WHERE id = @id AND status = 'running'", runId, cancellationToken))
            {
                return 0;
            }

            foreach (var table in (string[])["params", "tags", "metrics", "metric_steps", "tracking_metrics", "tracking_points", "tracking_latest", "tracking_runs"])
            {
                await using var delete = Sql(connection, transaction, $"DELETE FROM {table} WHERE run_id = @id", ("id", runId));
                await delete.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var run = Sql(connection, transaction, "DELETE FROM runs WHERE id = @id AND status = 'running'", ("id", runId));
            await run.ExecuteNonQueryAsync(cancellationToken);
            return 0;
        }, cancellationToken);
    }
}
