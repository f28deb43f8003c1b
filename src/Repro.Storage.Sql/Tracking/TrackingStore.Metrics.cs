using System.Text;

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

        await WriteAsync(async (connection, transaction) =>
        {
            var state = await RunStateAsync(connection, transaction, runId, cancellationToken);
            if (state.Sealed)
            {
                throw Sealed(runId, state);
            }

            var batch = new SqlBatch();
            await LogAsync(connection, transaction, batch, runId, metrics, parameters, tags, cancellationToken);
            await RefreshProvisionalAsync(connection, transaction, runId, cancellationToken, batch);
            return 0;
        }, cancellationToken);
    }

    /// <summary>
    /// Adds a batch's writes to <paramref name="batch"/>, to run in one command with the reads that
    /// follow them: its new params (read first, one round trip when it has any, since a changed
    /// value is refused), tags, points and latest values.
    /// </summary>
    private static async Task LogAsync(DbConnection connection, DbTransaction transaction, SqlBatch batch, string runId, IReadOnlyList<MlflowMetric> metrics, IReadOnlyList<KeyValuePair<string, string>> parameters, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken)
    {
        var run = batch.Value(runId);
        if (parameters.Count > 0)
        {
            var logged = await LoggedParamsAsync(connection, transaction, runId, parameters, cancellationToken);
            var rows = new StringBuilder();
            foreach (var (key, value) in parameters)
            {
                if (logged.TryGetValue(key, out var existing))
                {
                    if (existing != value)
                    {
                        throw TrackingException.Invalid($"Changing param values is not allowed. Param with key='{key}' was already logged with value='{existing}' for run ID='{runId}'. Attempted logging new value '{value}'.");
                    }

                    continue;
                }

                rows.Append(rows.Length == 0 ? string.Empty : ", ").Append(CultureInfo.InvariantCulture, $"({run}, {batch.Value(key)}, {batch.Value(value)})");
            }

            if (rows.Length > 0)
            {
                batch.Add($"INSERT INTO params(run_id, key, value) VALUES {rows}");
            }
        }

        AddPairsUpsert(batch, "tags", run, tags);

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

        AddPoints(connection, batch, run, runId, metrics);

        foreach (var keys in best.Values.Chunk(LatestKeysPerStatement))
        {
            AddLatestUpsert(batch, run, keys);
        }
    }

    /// <summary>The values already logged for any of <paramref name="parameters"/>' keys.</summary>
    private static async Task<Dictionary<string, string>> LoggedParamsAsync(DbConnection connection, DbTransaction transaction, string runId, IReadOnlyList<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        var logged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var chunk in parameters.Chunk(PairsPerStatement))
        {
            var read = new SqlBatch();
            var keys = string.Join(", ", chunk.Select(p => read.Value(p.Key)));
            read.Add($"SELECT key, value FROM params WHERE run_id = {read.Value(runId)} AND key IN ({keys})");
            await using var command = read.Command(connection, transaction);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                logged[reader.GetString(0)] = reader.GetString(1);
            }
        }

        return logged;
    }

    // Keys one statement of AddLatestUpsert takes (six parameters each, far inside both engines' limits).
    private const int LatestKeysPerStatement = 100;

    /// <summary>
    /// The latest point of each key, kept where it is later than the one stored (MLflow's order,
    /// <see cref="IsLater"/>, in SQL), and the run's metric values set from it: two statements
    /// for up to <see cref="LatestKeysPerStatement"/> keys, where a read and two writes a key cost
    /// a batch of 10 keys 0.4 ms of the write turn.
    /// </summary>
    private static void AddLatestUpsert(SqlBatch batch, string run, MlflowMetric[] latest)
    {
        var rows = new StringBuilder();
        var keys = new StringBuilder();
        for (var i = 0; i < latest.Length; i++)
        {
            var metric = latest[i];
            var nan = double.IsNaN(metric.Value);
            var key = batch.Value(metric.Key);
            rows.Append(i == 0 ? string.Empty : ", ").Append(CultureInfo.InvariantCulture, $"({run}, {key}, {batch.Value(metric.Step)}, {batch.Value(metric.Timestamp)}, {batch.Value(nan ? 0.0 : metric.Value)}, {batch.Value(nan ? 1L : 0L)})");
            keys.Append(i == 0 ? string.Empty : ", ").Append(key);
        }

        batch.Add($"""
            INSERT INTO tracking_latest(run_id, key, step, timestamp, value, is_nan) VALUES {rows}
            ON CONFLICT(run_id, key) DO UPDATE SET step = excluded.step, timestamp = excluded.timestamp, value = excluded.value, is_nan = excluded.is_nan
            WHERE excluded.step > tracking_latest.step
                OR (excluded.step = tracking_latest.step AND (excluded.timestamp > tracking_latest.timestamp
                    OR (excluded.timestamp = tracking_latest.timestamp AND excluded.is_nan = 0 AND (tracking_latest.is_nan = 1 OR excluded.value > tracking_latest.value))))
            """);

        // NULL is the run store's NaN.
        batch.Add($"""
            INSERT INTO metrics(run_id, key, value)
            SELECT run_id, key, CASE WHEN is_nan = 0 THEN value END FROM tracking_latest WHERE run_id = {run} AND key IN ({keys})
            ON CONFLICT(run_id, key) DO UPDATE SET value = excluded.value
            """);
    }

    /// <summary>MLflow's latest metric: the greatest (step, timestamp, value), NaN below every number.</summary>
    private static bool IsLater(MlflowMetric a, MlflowMetric b) =>
        a.Step != b.Step ? a.Step > b.Step
        : a.Timestamp != b.Timestamp ? a.Timestamp > b.Timestamp
        : !double.IsNaN(a.Value) && (double.IsNaN(b.Value) || a.Value > b.Value);

    public async Task DeleteTagAsync(string runId, string key, CancellationToken cancellationToken)
    {
        await WriteAsync(async (connection, transaction) =>
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
        if (state.Tracked)
        {
            var history = await HistoryAsync(connection, runId, key, cancellationToken);
            points.AddRange(history.Skip(offset).Take(limit).Select(p => new MlflowMetric(key, p.Value, p.Timestamp, p.Step)));
            if (history.Count > offset + limit)
            {
                return (points, OffsetPageToken.For(offset + limit));
            }
        }
        else
        {
            await using var read = Sql(connection, null, "SELECT step, value FROM metric_steps WHERE run_id = @run AND key = @key ORDER BY step", ("run", runId), ("key", key));
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
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

                points.Add(new MlflowMetric(key, reader.IsDBNull(1) ? double.NaN : reader.GetDouble(1), 0, reader.GetInt64(0)));
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
