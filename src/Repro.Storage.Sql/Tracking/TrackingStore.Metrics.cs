namespace Repro.Storage.Sql.Tracking;

public sealed partial class TrackingStore
{
    /// <summary>
    /// runs/log-batch (and log-metric, log-parameter, set-tag): all of it in one transaction.
    /// A param already logged with another value is refused, as MLflow does; every metric point
    /// is kept, as MLflow's file store keeps them.
    /// </summary>
    public async Task LogBatchAsync(string runId, IReadOnlyList<MlflowMetric> metrics, IReadOnlyList<KeyValuePair<string, string>> parameters, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken)
    {
        MlflowValidation.BatchLimits(metrics.Count, parameters.Count, tags.Count);
        MlflowValidation.UniqueParamKeys(parameters.Select(p => p.Key));
        var checkedKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var metric in metrics)
        {
            if (checkedKeys.Add(metric.Key) || metric.Timestamp < 0)
            {
                MlflowValidation.Metric(metric);
            }
        }

        foreach (var (key, value) in parameters)
        {
            MlflowValidation.Param(key, value);
        }

        foreach (var (key, value) in tags)
        {
            MlflowValidation.Tag(key, value);
        }

        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await WriteAsync(connection, async transaction =>
        {
            var state = await RunStateAsync(connection, transaction, runId, cancellationToken);
            if (state.Sealed)
            {
                throw Sealed(runId, state);
            }

            await LogAsync(connection, transaction, runId, metrics, parameters, tags, cancellationToken);
            await RefreshProvisionalAsync(connection, transaction, runId, cancellationToken);
            return 0;
        }, cancellationToken);
    }

    private static async Task LogAsync(DbConnection connection, DbTransaction transaction, string runId, IReadOnlyList<MlflowMetric> metrics, IReadOnlyList<KeyValuePair<string, string>> parameters, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken)
    {
        foreach (var (key, value) in parameters)
        {
            await using var read = Sql(connection, transaction, "SELECT value FROM params WHERE run_id = @run AND key = @key", ("run", runId), ("key", key));
            var existing = await read.ExecuteScalarAsync(cancellationToken) as string;
            if (existing is null)
            {
                await using var insert = Sql(connection, transaction, "INSERT INTO params(run_id, key, value) VALUES (@run, @key, @value)", ("run", runId), ("key", key), ("value", value));
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            else if (existing != value)
            {
                throw TrackingException.Invalid($"Changing param values is not allowed. Param with key='{key}' was already logged with value='{existing}' for run ID='{runId}'. Attempted logging new value '{value}'.");
            }
        }

        foreach (var (key, value) in tags)
        {
            await UpsertPairAsync(connection, transaction, "tags", runId, key, value, cancellationToken);
        }

        if (metrics.Count == 0)
        {
            return;
        }

        var best = new Dictionary<string, MlflowMetric>(StringComparer.Ordinal);
        foreach (var metric in metrics)
        {
            if (!best.TryGetValue(metric.Key, out var current) || IsLater(metric, current))
            {
                best[metric.Key] = metric;
            }
        }

        await InsertPointsAsync(connection, transaction, runId, metrics, cancellationToken);

        foreach (var (key, candidate) in best)
        {
            await using (var read = Sql(connection, transaction, "SELECT step, timestamp, value, is_nan FROM tracking_latest WHERE run_id = @run AND key = @key", ("run", runId), ("key", key)))
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
            {
                if (await reader.ReadAsync(cancellationToken))
                {
                    var latest = new MlflowMetric(key, reader.GetInt64(3) != 0 ? double.NaN : reader.GetDouble(2), reader.GetInt64(1), reader.GetInt64(0));
                    if (!IsLater(candidate, latest))
                    {
                        continue;
                    }
                }
            }

            var nan = double.IsNaN(candidate.Value);
            await using (var upsert = Sql(
                connection,
                transaction,
                """
                INSERT INTO tracking_latest(run_id, key, step, timestamp, value, is_nan) VALUES (@run, @key, @step, @timestamp, @value, @nan)
                ON CONFLICT(run_id, key) DO UPDATE SET step = excluded.step, timestamp = excluded.timestamp, value = excluded.value, is_nan = excluded.is_nan
                """,
                ("run", runId),
                ("key", key),
                ("step", candidate.Step),
                ("timestamp", candidate.Timestamp),
                ("value", nan ? 0.0 : candidate.Value),
                ("nan", nan ? 1L : 0L)))
            {
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var latestValue = Sql(
                connection,
                transaction,
                "INSERT INTO metrics(run_id, key, value) VALUES (@run, @key, @value) ON CONFLICT(run_id, key) DO UPDATE SET value = excluded.value",
                ("run", runId),
                ("key", key),
                ("value", nan ? null : candidate.Value));
            await latestValue.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Every point, once, into MLflow's history table: a live run's steps are read from it (by
    /// metrics/get-history, and by the seal that writes them into the sealed manifest and the
    /// run store's step table), so a second per-point table would only cost the ingest twice.
    /// SQLite: one prepared statement reused row by row (it keeps it compiled; binding a few
    /// parameters a row stays linear). PostgreSQL: one binary COPY inside the batch's
    /// transaction (a round trip a row would cost more than the insert itself; COPY also skips
    /// the planner and executor that a multi-row INSERT still pays).
    /// </summary>
    private static async Task InsertPointsAsync(DbConnection connection, DbTransaction transaction, string runId, IReadOnlyList<MlflowMetric> points, CancellationToken cancellationToken)
    {
        if (connection is Npgsql.NpgsqlConnection npgsql)
        {
            await CopyPointsAsync(npgsql, runId, points, cancellationToken);
            return;
        }

        await using var history = Sql(connection, transaction, "INSERT INTO tracking_metrics(run_id, key, step, timestamp, value, is_nan) VALUES (@run, @k, @s, @t, @v, @n)", ("run", runId));
        var (hk, hs, ht, hv, hn) = (SqlDatabase.AddParameter(history, "k", string.Empty), SqlDatabase.AddParameter(history, "s", 0L), SqlDatabase.AddParameter(history, "t", 0L), SqlDatabase.AddParameter(history, "v", 0.0), SqlDatabase.AddParameter(history, "n", 0L));
        await history.PrepareAsync(cancellationToken);
        foreach (var point in points)
        {
            var nan = double.IsNaN(point.Value);
            hk.Value = point.Key;
            hs.Value = point.Step;
            ht.Value = point.Timestamp;
            hv.Value = nan ? 0.0 : point.Value;
            hn.Value = nan ? 1L : 0L;
            if (connection is Microsoft.Data.Sqlite.SqliteConnection)
            {
                // SQLite's async calls run synchronously anyway; the sync call saves a Task per row.
                history.ExecuteNonQuery();
            }
            else
            {
                await history.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    /// <summary>The batch's points as one binary COPY, in the connection's open transaction (rolled back with it).</summary>
    private static async Task CopyPointsAsync(Npgsql.NpgsqlConnection connection, string runId, IReadOnlyList<MlflowMetric> points, CancellationToken cancellationToken)
    {
        await using var history = await connection.BeginBinaryImportAsync("COPY tracking_metrics(run_id, key, step, timestamp, value, is_nan) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var point in points)
        {
            var nan = double.IsNaN(point.Value);
            await history.StartRowAsync(cancellationToken);
            await history.WriteAsync(runId, NpgsqlTypes.NpgsqlDbType.Text, cancellationToken);
            await history.WriteAsync(point.Key, NpgsqlTypes.NpgsqlDbType.Text, cancellationToken);
            await history.WriteAsync(point.Step, NpgsqlTypes.NpgsqlDbType.Bigint, cancellationToken);
            await history.WriteAsync(point.Timestamp, NpgsqlTypes.NpgsqlDbType.Bigint, cancellationToken);
            await history.WriteAsync(nan ? 0.0 : point.Value, NpgsqlTypes.NpgsqlDbType.Double, cancellationToken);
            await history.WriteAsync(nan ? 1L : 0L, NpgsqlTypes.NpgsqlDbType.Bigint, cancellationToken);
        }

        await history.CompleteAsync(cancellationToken);
    }

    /// <summary>MLflow's latest metric: the greatest (step, timestamp, value), NaN below every number.</summary>
    private static bool IsLater(MlflowMetric a, MlflowMetric b) =>
        a.Step != b.Step ? a.Step > b.Step
        : a.Timestamp != b.Timestamp ? a.Timestamp > b.Timestamp
        : !double.IsNaN(a.Value) && (double.IsNaN(b.Value) || a.Value > b.Value);

    public async Task DeleteTagAsync(string runId, string key, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await WriteAsync(connection, async transaction =>
        {
            var state = await RunStateAsync(connection, transaction, runId, cancellationToken);
            if (state.Sealed)
            {
                throw Sealed(runId, state);
            }

            await using (var delete = Sql(connection, transaction, "DELETE FROM tags WHERE run_id = @run AND key = @key", ("run", runId), ("key", key)))
            {
                if (await delete.ExecuteNonQueryAsync(cancellationToken) == 0)
                {
                    throw TrackingException.NotFound($"No tag with name: {key} in run with id {runId}");
                }
            }

            await RefreshProvisionalAsync(connection, transaction, runId, cancellationToken);
            return 0;
        }, cancellationToken);
    }

    /// <summary>Every logged point of one metric, by step then timestamp; a page of it when <paramref name="maxResults"/> is given.</summary>
    public async Task<(IReadOnlyList<MlflowMetric> Metrics, string? NextPageToken)> GetMetricHistoryAsync(string runId, string key, int? maxResults, string? pageToken, CancellationToken cancellationToken)
    {
        var offset = OffsetPageToken.Offset(pageToken);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        var state = await RunStateAsync(connection, null, runId, cancellationToken, allowDeleted: true);
        var limit = maxResults ?? int.MaxValue;
        var points = new List<MlflowMetric>();
        var sql = state.Tracked
            ? "SELECT step, timestamp, value, is_nan FROM tracking_metrics WHERE run_id = @run AND key = @key ORDER BY step, timestamp, value"
            : "SELECT step, 0, value, 0 FROM metric_steps WHERE run_id = @run AND key = @key ORDER BY step";
        await using (var read = Sql(connection, null, sql, ("run", runId), ("key", key)))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            var index = 0;
            while (await reader.ReadAsync(cancellationToken))
            {
                if (index++ < offset)
                {
                    continue;
                }

                if (points.Count == limit)
                {
                    return (points, OffsetPageToken.For(offset + limit));
                }

                var value = reader.IsDBNull(2) || Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture) != 0 ? double.NaN : reader.GetDouble(2);
                points.Add(new MlflowMetric(key, value, Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture), reader.GetInt64(0)));
            }
        }

        if (points.Count == 0 && !state.Tracked)
        {
            // A plain repro run's final metric value with no step history is its one point.
            var run = await GetRunAsync(runId, cancellationToken);
            points.AddRange(run.Metrics.Where(m => m.Key == key).Skip(offset).Take(limit));
        }

        return (points, null);
    }
}
