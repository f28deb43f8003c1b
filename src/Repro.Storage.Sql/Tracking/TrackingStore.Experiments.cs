namespace Repro.Storage.Sql.Tracking;

public sealed partial class TrackingStore
{
    public async Task<string> CreateExperimentAsync(string? name, string? artifactLocation, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        MlflowValidation.ExperimentName(name);
        foreach (var (key, value) in tags)
        {
            MlflowValidation.ExperimentTag(key, value);
        }

        if (artifactLocation is not null && artifactLocation.StartsWith("runs:", StringComparison.Ordinal))
        {
            throw TrackingException.Invalid($"Artifact location cannot be a runs:/ URI. Given: '{artifactLocation}'");
        }

        return await WriteAsync(async (connection, transaction) =>
        {
            var id = await CreateExperimentAsync(connection, transaction, name!, artifactLocation, null, tags, cancellationToken);
            return id;
        }, cancellationToken);
    }

    /// <summary>Inserts an experiment inside the caller's write transaction; <paramref name="wantedId"/> is kept if free (imports).</summary>
    private async Task<string> CreateExperimentAsync(DbConnection connection, DbTransaction transaction, string name, string? artifactLocation, string? wantedId, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        await using (var existing = Sql(connection, transaction, "SELECT lifecycle_stage FROM tracking_experiments WHERE name = @name", ("name", name)))
        {
            if (await existing.ExecuteScalarAsync(cancellationToken) is string stage)
            {
                throw TrackingException.AlreadyExists(stage == "deleted"
                    ? $"Experiment '{name}' already exists in deleted state. You can restore the experiment, or permanently delete the experiment to create a new one."
                    : $"Experiment '{name}' already exists.");
            }
        }

        string id;
        if (wantedId is not null && !await ExistsAsync(connection, transaction, "SELECT 1 FROM tracking_experiments WHERE experiment_id = @id", wantedId, cancellationToken))
        {
            id = wantedId;
        }
        else
        {
            await using var next = Sql(connection, transaction, "SELECT COALESCE(MAX(number), 0) + 1 FROM tracking_experiments WHERE number < 1000000000000");
            id = Convert.ToInt64(await next.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        }

        var now = NowMs;
        long? number = long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        await using (var insert = Sql(
            connection,
            transaction,
            "INSERT INTO tracking_experiments(experiment_id, number, name, artifact_location, lifecycle_stage, creation_time, last_update_time) VALUES (@id, @number, @name, @location, 'active', @now, @now)",
            ("id", id),
            ("number", number),
            ("name", name),
            ("location", artifactLocation ?? string.Empty),
            ("now", now)))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var (key, value) in tags)
        {
            await UpsertExperimentTagAsync(connection, transaction, id, key, value, cancellationToken);
        }

        return id;
    }

    public async Task<MlflowExperiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return await ReadExperimentAsync(connection, null, "experiment_id = @value", experimentId, cancellationToken)
            ?? throw TrackingException.NotFound($"No Experiment with id={experimentId} exists");
    }

    public async Task<MlflowExperiment?> GetExperimentByNameAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return await ReadExperimentAsync(connection, null, "name = @value", name, cancellationToken);
    }

    /// <summary>Experiments of a view type ("ACTIVE_ONLY", "DELETED_ONLY", "ALL"), newest first, filtered by name.</summary>
    public async Task<(IReadOnlyList<MlflowExperiment> Experiments, string? NextPageToken)> SearchExperimentsAsync(string viewType, string? filter, int maxResults, string? pageToken, CancellationToken cancellationToken)
    {
        var match = ExperimentFilter.Parse(filter);
        var offset = OffsetPageToken.Offset(pageToken);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        var all = await ReadExperimentsAsync(connection, null, Stages(viewType), cancellationToken);
        var matching = all.Where(match).OrderByDescending(e => e.CreationTime).ThenBy(e => e.ExperimentId, StringComparer.Ordinal).ToList();
        var page = matching.Skip(offset).Take(maxResults).ToList();
        return (page, offset + maxResults < matching.Count ? OffsetPageToken.For(offset + maxResults) : null);
    }

    public Task DeleteExperimentAsync(string experimentId, CancellationToken cancellationToken) =>
        SetExperimentStageAsync(experimentId, "deleted", cancellationToken);

    public Task RestoreExperimentAsync(string experimentId, CancellationToken cancellationToken) =>
        SetExperimentStageAsync(experimentId, "active", cancellationToken);

    public async Task RenameExperimentAsync(string experimentId, string? newName, CancellationToken cancellationToken)
    {
        MlflowValidation.ExperimentName(newName);
        await WriteAsync(async (connection, transaction) =>
        {
            var experiment = await RequireExperimentAsync(connection, transaction, experimentId, cancellationToken);
            if (experiment.LifecycleStage != "active")
            {
                throw TrackingException.InvalidState($"Cannot rename a non-active experiment {experimentId}.");
            }

            if (await ExistsAsync(connection, transaction, "SELECT 1 FROM tracking_experiments WHERE name = @id", newName!, cancellationToken))
            {
                throw TrackingException.AlreadyExists($"Experiment '{newName}' already exists.");
            }

            await using var update = Sql(connection, transaction, "UPDATE tracking_experiments SET name = @name, last_update_time = @now WHERE experiment_id = @id", ("name", newName), ("now", NowMs), ("id", experimentId));
            await update.ExecuteNonQueryAsync(cancellationToken);
            return 0;
        }, cancellationToken);
    }

    public async Task SetExperimentTagAsync(string experimentId, string key, string value, CancellationToken cancellationToken)
    {
        MlflowValidation.ExperimentTag(key, value);
        await WriteAsync(async (connection, transaction) =>
        {
            var experiment = await RequireExperimentAsync(connection, transaction, experimentId, cancellationToken);
            if (experiment.LifecycleStage != "active")
            {
                throw TrackingException.InvalidState($"The experiment {experimentId} must be in the 'active' state. Current state is {experiment.LifecycleStage}.");
            }

            await UpsertExperimentTagAsync(connection, transaction, experimentId, key, value, cancellationToken);
            return 0;
        }, cancellationToken);
    }

    private async Task SetExperimentStageAsync(string experimentId, string stage, CancellationToken cancellationToken)
    {
        await WriteAsync(async (connection, transaction) =>
        {
            var experiment = await RequireExperimentAsync(connection, transaction, experimentId, cancellationToken);
            if (stage == "deleted" && experimentId == DefaultExperimentId)
            {
                throw TrackingException.Invalid("Cannot delete the default experiment '0'. This is an internally reserved experiment.");
            }

            if (experiment.LifecycleStage == stage)
            {
                throw TrackingException.InvalidState(stage == "deleted"
                    ? $"The experiment {experimentId} must be in the 'active' state. Current state is deleted."
                    : $"Cannot restore an active experiment. The experiment {experimentId} must be in the 'deleted' state. Current state is active.");
            }

            await using var update = Sql(connection, transaction, "UPDATE tracking_experiments SET lifecycle_stage = @stage, last_update_time = @now WHERE experiment_id = @id", ("stage", stage), ("now", NowMs), ("id", experimentId));
            await update.ExecuteNonQueryAsync(cancellationToken);
            return 0;
        }, cancellationToken);
    }

    private async Task<MlflowExperiment> RequireExperimentAsync(DbConnection connection, DbTransaction? transaction, string experimentId, CancellationToken cancellationToken) =>
        await ReadExperimentAsync(connection, transaction, "experiment_id = @value", experimentId, cancellationToken)
            ?? throw TrackingException.NotFound($"No Experiment with id={experimentId} exists");

    private static async Task UpsertExperimentTagAsync(DbConnection connection, DbTransaction transaction, string experimentId, string key, string value, CancellationToken cancellationToken)
    {
        await using var upsert = Sql(
            connection,
            transaction,
            "INSERT INTO tracking_experiment_tags(experiment_id, key, value) VALUES (@id, @key, @value) ON CONFLICT(experiment_id, key) DO UPDATE SET value = excluded.value",
            ("id", experimentId),
            ("key", key),
            ("value", value));
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<MlflowExperiment?> ReadExperimentAsync(DbConnection connection, DbTransaction? transaction, string where, string value, CancellationToken cancellationToken)
    {
        MlflowExperiment? experiment = null;
        await using (var read = Sql(connection, transaction, $"SELECT experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time FROM tracking_experiments WHERE {where}", ("value", value)))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                experiment = Experiment(reader);
            }
        }

        if (experiment is null)
        {
            return null;
        }

        var tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
        await using (var read = Sql(connection, transaction, "SELECT key, value FROM tracking_experiment_tags WHERE experiment_id = @id", ("id", experiment.ExperimentId)))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                tags[reader.GetString(0)] = reader.GetString(1);
            }
        }

        return experiment with { Tags = tags };
    }

    private async Task<List<MlflowExperiment>> ReadExperimentsAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<string> stages, CancellationToken cancellationToken)
    {
        var experiments = new List<MlflowExperiment>();
        await using (var read = Sql(connection, transaction, "SELECT experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time FROM tracking_experiments"))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var experiment = Experiment(reader);
                if (stages.Contains(experiment.LifecycleStage))
                {
                    experiments.Add(experiment);
                }
            }
        }

        var tags = new Dictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        await using (var read = Sql(connection, transaction, "SELECT experiment_id, key, value FROM tracking_experiment_tags"))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetString(0);
                if (!tags.TryGetValue(id, out var map))
                {
                    tags[id] = map = new SortedDictionary<string, string>(StringComparer.Ordinal);
                }

                map[reader.GetString(1)] = reader.GetString(2);
            }
        }

        return experiments.Select(e => tags.TryGetValue(e.ExperimentId, out var t) ? e with { Tags = t } : e).ToList();
    }

    private MlflowExperiment Experiment(DbDataReader reader)
    {
        var id = reader.GetString(0);
        var location = reader.GetString(2);
        return new MlflowExperiment
        {
            ExperimentId = id,
            Name = reader.GetString(1),
            ArtifactLocation = location.Length > 0 ? location : $"{_artifactRoot}/{id}",
            LifecycleStage = reader.GetString(3),
            CreationTime = reader.GetInt64(4),
            LastUpdateTime = reader.GetInt64(5),
        };
    }

    internal static IReadOnlyList<string> Stages(string? viewType) => (viewType ?? "ACTIVE_ONLY") switch
    {
        "ACTIVE_ONLY" or "1" => ["active"],
        "DELETED_ONLY" or "2" => ["deleted"],
        "ALL" or "3" => ["active", "deleted"],
        _ => throw TrackingException.Invalid($"Invalid value \"{viewType}\" for parameter 'view_type': expected ACTIVE_ONLY, DELETED_ONLY or ALL"),
    };
}
