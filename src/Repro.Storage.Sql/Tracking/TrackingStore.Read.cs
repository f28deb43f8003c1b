using System.Text.Json;

namespace Repro.Storage.Sql.Tracking;

public sealed partial class TrackingStore
{
    private const int ChunkSize = 400;

    /// <summary>
    /// MLflow runs of these ids, in the given order (unknown ids left out). A run recorded by
    /// <c>repro run</c> without the MLflow API shows as a run of experiment 0 with its repro status.
    /// </summary>
    public async Task<IReadOnlyList<MlflowRun>> LoadRunsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        var found = new Dictionary<string, MlflowRun>(StringComparer.Ordinal);
        foreach (var chunk in ids.Distinct(StringComparer.Ordinal).Chunk(ChunkSize))
        {
            var (among, parameters) = IdSet(chunk);
            var infos = new Dictionary<string, MlflowRunInfo>(StringComparer.Ordinal);
            var metrics = new Dictionary<string, Dictionary<string, MlflowMetric>>(StringComparer.Ordinal);
            Dictionary<string, SortedDictionary<string, string>> runParams, runTags;

            // One round trip for the page: the runs, their params, tags, latest values and final
            // values, each a result of one command (a server answers it as one batch).
            await using (var read = Sql(
                connection,
                null,
                $"""
                SELECT {RunColumns} FROM runs r LEFT JOIN tracking_runs t ON t.run_id = r.id WHERE {among("r.id")};
                SELECT run_id, key, value FROM params WHERE {among("run_id")};
                SELECT run_id, key, value FROM tags WHERE {among("run_id")};
                SELECT run_id, key, value, timestamp, step, is_nan FROM tracking_latest WHERE {among("run_id")};
                SELECT run_id, key, value FROM metrics WHERE {among("run_id")}
                """,
                parameters))
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var info = Info(reader);
                    infos[info.RunId] = info;
                }

                await reader.NextResultAsync(cancellationToken);
                runParams = await ReadPairsAsync(reader, cancellationToken);
                await reader.NextResultAsync(cancellationToken);
                runTags = await ReadPairsAsync(reader, cancellationToken);
                await reader.NextResultAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var key = reader.GetString(1);
                    Map(metrics, reader.GetString(0))[key] = new MlflowMetric(key, reader.GetInt64(5) != 0 ? double.NaN : reader.GetDouble(2), reader.GetInt64(3), reader.GetInt64(4));
                }

                // Runs recorded by `repro run` have final values only: one point at their start, step 0.
                await reader.NextResultAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var id = reader.GetString(0);
                    var key = reader.GetString(1);
                    var map = Map(metrics, id);
                    if (!map.ContainsKey(key) && infos.TryGetValue(id, out var info))
                    {
                        map[key] = new MlflowMetric(key, reader.IsDBNull(2) ? double.NaN : reader.GetDouble(2), info.StartTime ?? 0, 0);
                    }
                }
            }

            foreach (var (id, info) in infos)
            {
                found[id] = new MlflowRun
                {
                    Info = info with { RunName = runTags.GetValueOrDefault(id)?.GetValueOrDefault(RunNameTag) ?? info.RunName },
                    Params = runParams.GetValueOrDefault(id) ?? new SortedDictionary<string, string>(StringComparer.Ordinal),
                    Tags = runTags.GetValueOrDefault(id) ?? new SortedDictionary<string, string>(StringComparer.Ordinal),
                    Metrics = metrics.TryGetValue(id, out var m) ? m.Values.OrderBy(v => v.Key, StringComparer.Ordinal).ToList() : [],
                };
            }
        }

        return ids.Where(found.ContainsKey).Select(id => found[id]).ToList();
    }

    private MlflowRunInfo Info(DbDataReader reader)
    {
        var id = reader.GetString(0);
        var created = DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var reproStatus = reader.GetString(2);
        if (reader.IsDBNull(5))
        {
            var start = created.ToUnixTimeMilliseconds();
            return new MlflowRunInfo
            {
                RunId = id,
                RunName = reader.IsDBNull(1) ? string.Empty : reader.GetString(1),
                ExperimentId = DefaultExperimentId,
                Status = MlflowStatus.FromRepro(reproStatus switch { "ok" => RunStatus.Ok, "running" => RunStatus.Running, _ => RunStatus.Failed }),
                StartTime = start,
                EndTime = reproStatus == "running" ? null : start + (long)Math.Round(reader.GetDouble(4) * 1000),
                ArtifactUri = $"{_artifactRoot}/{DefaultExperimentId}/{id}/artifacts",
                LifecycleStage = "active",
            };
        }

        return new MlflowRunInfo
        {
            RunId = id,
            RunName = reader.IsDBNull(1) ? string.Empty : reader.GetString(1),
            ExperimentId = reader.GetString(5),
            UserId = reader.GetString(6),
            Status = reader.GetString(7),
            StartTime = NullableLong(reader, 8),
            EndTime = NullableLong(reader, 9),
            LifecycleStage = reader.GetString(10),
            ArtifactUri = reader.GetString(11),
        };
    }

    /// <summary>
    /// The ids as one parameter, and the condition that a column is one of them: a JSON array read
    /// by SQLite's <c>json_each</c>, a text array for PostgreSQL's <c>= ANY</c> (an index scan of
    /// the ids; <c>IN (SELECT unnest(…))</c> was planned as a join, 3 ms for a page's tags under
    /// load). One parameter to bind instead of one per id (binding each by name was a quarter of a
    /// search page's cost).
    /// </summary>
    private (Func<string, string> Among, (string Name, object? Value)[] Parameters) IdSet(string[] ids) => _database.Kind == SqlKind.Postgres
        ? (column => $"{column} = ANY(@ids)", [("ids", ids)])
        : (column => $"{column} IN (SELECT value FROM json_each(@ids))", [("ids", JsonSerializer.Serialize(ids.ToList(), CanonicalJson.TypeInfo<List<string>>()))]);

    private static async Task<Dictionary<string, SortedDictionary<string, string>>> ReadPairsAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetString(0);
            if (!result.TryGetValue(id, out var map))
            {
                result[id] = map = new SortedDictionary<string, string>(StringComparer.Ordinal);
            }

            map[reader.GetString(1)] = reader.GetString(2);
        }

        return result;
    }

    private static Dictionary<string, MlflowMetric> Map(Dictionary<string, Dictionary<string, MlflowMetric>> metrics, string id)
    {
        if (!metrics.TryGetValue(id, out var map))
        {
            metrics[id] = map = new Dictionary<string, MlflowMetric>(StringComparer.Ordinal);
        }

        return map;
    }
}
