
namespace Repro.Storage.Sql.Tracking;

public sealed partial class TrackingStore
{
    /// <summary>
    /// The local id of an imported experiment: the experiment of the same name if there is one,
    /// else a new one that keeps the file store's id when it is free. Returns whether it was created.
    /// </summary>
    public async Task<(string Id, bool Created)> ImportExperimentAsync(MlflowExperiment experiment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        return await WriteAsync(async (connection, transaction) =>
        {
            if (await ReadExperimentAsync(connection, transaction, "name = @value", experiment.Name, cancellationToken) is { } existing)
            {
                return (existing.ExperimentId, false);
            }

            var id = await CreateExperimentAsync(connection, transaction, experiment.Name, experiment.ArtifactLocation, experiment.ExperimentId, experiment.Tags, cancellationToken);
            await using var update = Sql(
                connection,
                transaction,
                "UPDATE tracking_experiments SET lifecycle_stage = @stage, creation_time = @created, last_update_time = @updated WHERE experiment_id = @id",
                ("stage", experiment.LifecycleStage),
                ("created", experiment.CreationTime),
                ("updated", experiment.LastUpdateTime),
                ("id", id));
            await update.ExecuteNonQueryAsync(cancellationToken);
            return (id, true);
        }, cancellationToken);
    }

    /// <summary>Whether a run of this id is stored already (an import of it adds nothing).</summary>
    public async Task<bool> HasRunAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return await ExistsAsync(connection, null, "SELECT 1 FROM runs WHERE id = @id", runId, cancellationToken);
    }

    /// <summary>
    /// Stores a run from an MLflow file store with its full metric history in one transaction,
    /// then seals it if it had ended (a run MLflow left RUNNING stays live).
    /// </summary>
    public async Task ImportRunAsync(ImportedRun imported, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(imported);
        var id = imported.Run.RunId ?? throw new ArgumentException("an imported run needs its id", nameof(imported));
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await _writeTurn.WaitAsync(cancellationToken);
        try
        {
            await using (var transaction = await _database.BeginWriteAsync(connection, WriteLock, cancellationToken))
            {
                await InsertRunAsync(connection, transaction, imported.Run with { Status = MlflowStatus.Running }, id, cancellationToken, import: true);
                var batch = new SqlBatch();
                await LogAsync(connection, transaction, batch, id, imported.Metrics, imported.Params, [], cancellationToken);
                batch.Add($"UPDATE tracking_runs SET status = {batch.Value(imported.Run.Status)}, end_time = {batch.Value(imported.EndTime)}, lifecycle_stage = {batch.Value(imported.LifecycleStage)} WHERE run_id = {batch.Value(id)}");
                await RefreshProvisionalAsync(connection, transaction, id, cancellationToken, batch);
                await transaction.CommitAsync(cancellationToken);
            }

            if (MlflowStatus.IsTerminal(imported.Run.Status))
            {
                await _runs.SaveAsync(await FinalManifestAsync(connection, id, cancellationToken), cancellationToken);
            }
        }
        finally
        {
            _writeTurn.Release();
        }
    }
}
