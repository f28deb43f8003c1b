
namespace Repro.Storage.Sql.Tracking;

public sealed partial class TrackingStore
{
    /// <summary>Tags every run gets when it is created: a run with no other rows had nothing logged onto it.</summary>
    private static readonly string[] CreationTags = [RunNameTag, "mlflow.user", "mlflow.source.type"];

    /// <summary>
    /// Ends the live runs that a <c>repro run</c> on <paramref name="host"/> created for its command
    /// and can no longer seal because its process is gone (killed with SIGKILL, the machine's OOM
    /// killer, a crash): each is marked KILLED and sealed with what was logged onto it, a warning
    /// saying why. Runs owned by a live process, or by another host, are left alone. Returns the
    /// ids ended, with the owner each had.
    /// </summary>
    public async Task<IReadOnlyList<(string RunId, RunOwner Owner)>> EndOrphanedRunsAsync(string host, Func<int, bool> isAlive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(isAlive);
        var candidates = new List<(string RunId, RunOwner Owner)>();
        await using (var connection = await _database.OpenConnectionAsync(cancellationToken))
        await using (var read = Sql(
            connection,
            null,
            "SELECT t.run_id, t.owner_pid FROM tracking_runs t JOIN runs r ON r.id = t.run_id WHERE t.linked = 1 AND r.status = 'running' AND t.owner_host = @host AND t.owner_pid IS NOT NULL",
            ("host", host)))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                candidates.Add((reader.GetString(0), new RunOwner(host, (int)Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture))));
            }
        }

        var ended = new List<(string, RunOwner)>();
        foreach (var (runId, owner) in candidates.Where(c => !isAlive(c.Owner.Pid)))
        {
            var reason = string.Create(CultureInfo.InvariantCulture, $"the repro run that owned this run (pid {owner.Pid} on {owner.Host}) ended without recording it: marked KILLED; what the script logged is kept, code, data and environment were not captured");
            if (await EndLinkedAsync(runId, MlflowStatus.Killed, reason, cancellationToken))
            {
                ended.Add((runId, owner));
            }
        }

        return ended;
    }

    /// <summary>
    /// For a <c>repro run</c> that failed before it could record its run: a live run the script
    /// logged onto ends <paramref name="status"/> (FAILED or KILLED) and is sealed with what it
    /// logged and <paramref name="reason"/> as a warning; one with nothing logged is removed.
    /// </summary>
    public async Task AbandonLinkedAsync(string runId, string status, string reason, CancellationToken cancellationToken)
    {
        bool logged;
        await using (var connection = await _database.OpenConnectionAsync(cancellationToken))
        {
            logged = await CountAsync(connection, "SELECT COUNT(*) FROM params WHERE run_id = @id", runId, cancellationToken) > 0
                || await CountAsync(connection, "SELECT COUNT(*) FROM tracking_latest WHERE run_id = @id", runId, cancellationToken) > 0
                || (await PairsAsync(connection, null, "tags", runId, cancellationToken)).Keys.Any(k => !CreationTags.Contains(k));
        }

        if (logged)
        {
            await EndLinkedAsync(runId, status, reason, cancellationToken);
        }
        else
        {
            await DiscardLinkedAsync(runId, cancellationToken);
        }
    }

    /// <summary>Marks a still-live linked run <paramref name="status"/> and seals it; false when it was sealed meanwhile.</summary>
    private async Task<bool> EndLinkedAsync(string runId, string status, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await _writeTurn.WaitAsync(cancellationToken);
        try
        {
            await using (var transaction = await _database.BeginWriteAsync(connection, WriteLock, cancellationToken))
            {
                if (!await ExistsAsync(connection, transaction, "SELECT 1 FROM runs WHERE id = @id AND status = 'running'", runId, cancellationToken))
                {
                    return false;
                }

                await using var update = Sql(connection, transaction, "UPDATE tracking_runs SET status = @status, end_time = COALESCE(end_time, @end) WHERE run_id = @id", ("status", status), ("end", NowMs), ("id", runId));
                await update.ExecuteNonQueryAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }

            var final = await FinalManifestAsync(connection, runId, cancellationToken);
            await _runs.SaveAsync(final with { Warnings = [.. final.Warnings, reason] }, cancellationToken);
            return true;
        }
        finally
        {
            _writeTurn.Release();
        }
    }

    private static async Task<long> CountAsync(DbConnection connection, string sql, string id, CancellationToken cancellationToken)
    {
        await using var command = Sql(connection, null, sql, ("id", id));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}
