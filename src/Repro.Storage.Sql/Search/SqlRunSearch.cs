using System.Text;
using System.Text.Json;

namespace Repro.Storage.Sql.Search;

/// <summary>
/// Searches the run store's tables (runs, params, metrics, tags) with MLflow's filter grammar,
/// order_by, keyset paging and a total count. Every value and key from the caller is a SQL
/// parameter; the SQL text is built only from this class's own fragments, and runs unchanged on
/// SQLite and PostgreSQL except where the engines differ (case-sensitive LIKE, time arithmetic).
/// </summary>
public sealed class SqlRunSearch : IRunSearch
{
    private const string Columns = "r.id, r.name, r.kind, r.parent_id, r.status, r.exit_code, r.created_at, r.wall_seconds, r.seed, r.digest";
    private const int ChunkSize = 500;
    private const int DefaultFewCandidates = 1000;

    /// <summary>
    /// The search module's own schema: covering indexes for its queries (the tables are the run
    /// store's). A filter's candidates come from (key, value, run_id) without touching the rows;
    /// the runs' sort and plain-filter columns come from a narrow copy of runs, not the wide rows.
    /// </summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE INDEX IF NOT EXISTS search_runs_created ON runs(created_at, id);
        CREATE INDEX IF NOT EXISTS search_runs_narrow ON runs(id, created_at, status, kind, name, parent_id);
        CREATE INDEX IF NOT EXISTS search_metrics ON metrics(key, value, run_id);
        CREATE INDEX IF NOT EXISTS search_params ON params(key, value, run_id);
        CREATE INDEX IF NOT EXISTS search_tags ON tags(key, value, run_id)
        """,
    ];

    private readonly SqlDatabase _database;
    private readonly TrackingColumns? _tracking;
    private readonly int _fewCandidates;
    private readonly bool _walkMetricIndex;
    private Task? _migrated;

    public SqlRunSearch(SqlDatabase database, TrackingColumns? tracking = null)
        : this(database, tracking, DefaultFewCandidates)
    {
    }

    /// <summary>
    /// With another bound for <see cref="FewCandidatesAsync"/> (tests reach both of its paths with
    /// a few runs), and without <see cref="Driver"/> when <paramref name="walkMetricIndex"/> is
    /// false (tests compare both plans' pages).
    /// </summary>
    internal SqlRunSearch(SqlDatabase database, TrackingColumns? tracking, int fewCandidates, bool walkMetricIndex = true)
    {
        ArgumentNullException.ThrowIfNull(database);
        tracking?.Validate();
        _database = database;
        _tracking = tracking;
        _fewCandidates = fewCandidates;
        _walkMetricIndex = walkMetricIndex;
    }

    /// <summary>Adds the search module's indexes (idempotent); the run store's tables must exist already.</summary>
    public static Task MigrateAsync(SqlDatabase database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.MigrateAsync("search", Migrations, cancellationToken);
    }

    public async Task<RunSearchResult> SearchAsync(RunSearchQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.MaxResults is < 1 or > RunSearchQuery.MaxResultsLimit)
        {
            throw new SearchFilterException($"Invalid value {query.MaxResults} for parameter 'max_results' supplied. It must be a positive integer at most {RunSearchQuery.MaxResultsLimit}");
        }

        await (_migrated ??= MigrateAsync(_database, cancellationToken));
        var clauses = SearchFilterParser.Parse(query.Filter);
        var orders = query.OrderBy.Select(SearchFilterParser.ParseOrderBy).ToList();
        var builder = new SearchSqlBuilder(_database.Kind, _tracking);

        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        var driver = Driver(clauses, orders, query);
        var where = new List<string>();
        foreach (var clause in clauses)
        {
            if (ReferenceEquals(clause, driver))
            {
                where.Add(builder.DriverCondition(clause));
                continue;
            }

            var condition = builder.Condition(clause);
            if (driver is not null && builder.Probe is { } probe)
            {
                condition = probe;
            }
            else if (builder.Subquery is { } subquery && _database.Kind == SqlKind.Postgres
                && await FewCandidatesAsync(connection, builder.Parameters, subquery, _fewCandidates, cancellationToken) is { } ids)
            {
                condition = ids.Count == 0 ? "1 = 0" : $"r.id = ANY({builder.Parameters.Add(ids.ToArray())})";
            }

            where.Add(condition);
        }

        where.AddRange(builder.PlainFilters(query));
        var whereParameters = builder.Parameters.Count;
        var whereUsesTracking = builder.UsesTracking;
        var whereUsesCandidates = builder.UsesCandidates;

        var keys = orders.Select((order, i) => i == 0 && driver is not null
            ? new SortKey($"{SearchSqlBuilder.DriverAlias}.value", order.Ascending, Nullable: false, SqlValueType.Real)
            : builder.SortKey(order)).ToList();
        keys.Add(new SortKey("r.created_at", Ascending: false, Nullable: false, SqlValueType.Text));
        keys.Add(new SortKey("r.id", Ascending: true, Nullable: false, SqlValueType.Text));

        var fingerprint = Fingerprint(query);
        var pageWhere = new List<string>(where);
        if (query.PageToken is { Length: > 0 } token)
        {
            pageWhere.Add(builder.After(keys, KeysetPageToken.Decode(token, fingerprint, keys.Select(k => k.Type).ToList())));
        }

        var start = driver is null ? "FROM runs r" + Hint(builder.UsesCandidates || builder.Joins.Length > 0)
            : _database.Kind == SqlKind.Sqlite ? $"FROM metrics {SearchSqlBuilder.DriverAlias} INDEXED BY search_metrics CROSS JOIN runs r INDEXED BY search_runs_narrow"
            : $"FROM metrics {SearchSqlBuilder.DriverAlias} CROSS JOIN runs r";
        var from = start + (builder.UsesTracking ? $" LEFT JOIN {_tracking!.Table} x ON x.{_tracking.RunId} = r.id" : string.Empty) + builder.Joins;
        // Only ids and sort values here (the narrow index covers them); the page's rows are read after.
        var sql = new StringBuilder("SELECT r.id");
        for (var i = 0; i < keys.Count; i++)
        {
            sql.Append(", ").Append(keys[i].Expression).Append(" AS s").Append(i.ToString(CultureInfo.InvariantCulture));
        }

        sql.Append(' ').Append(from).Append(WhereText(pageWhere)).Append(" ORDER BY ");
        sql.AppendJoin(", ", keys.Select(OrderText));
        sql.Append(" LIMIT ").Append(builder.Parameters.Add((long)query.MaxResults + 1));

        var rows = new List<(string Id, object?[] Sort)>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = sql.ToString();
            builder.Parameters.ApplyTo(command, builder.Parameters.Count);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var sort = new object?[keys.Count];
                for (var i = 0; i < keys.Count; i++)
                {
                    sort[i] = ReadSortValue(reader, 1 + i, keys[i].Type);
                }

                rows.Add((reader.GetString(0), sort));
            }
        }

        string? next = null;
        if (rows.Count > query.MaxResults)
        {
            rows.RemoveAt(rows.Count - 1);
            next = KeysetPageToken.Encode(fingerprint, rows[^1].Sort);
        }

        long? total = null;
        if (query.CountTotal)
        {
            await using var count = connection.CreateCommand();
            var countFrom = "FROM runs r" + Hint(whereUsesCandidates) + (whereUsesTracking ? $" LEFT JOIN {_tracking!.Table} x ON x.{_tracking.RunId} = r.id" : string.Empty);
            count.CommandText = $"SELECT COUNT(*) {countFrom}{WhereText(where)}";
            builder.Parameters.ApplyTo(count, whereParameters);
            total = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        var pageIds = rows.Select(r => r.Id).ToList();
        IReadOnlyList<SearchedRun> runs = query.IdsOnly ? [] : await LoadPageAsync(connection, pageIds, cancellationToken);
        return new RunSearchResult { Runs = runs, Ids = query.IdsOnly ? pageIds : runs.Select(r => r.Summary.Id).ToList(), NextPageToken = next, Total = total };
    }

    /// <summary>
    /// The metric clause to walk the search from when the search is ordered first by
    /// a metric it also filters on (<c>metrics.acc &gt; 0.5</c>, order by <c>metrics.acc DESC</c>,
    /// the way a best run is looked for): the metric's rows in the order of its index, each run
    /// probed for the other clauses, until a page is full. Every run it can return has the metric
    /// (the filter says so), so its order is the plain one. Otherwise every match is listed,
    /// checked and sorted (2,500 runs of 10,000 for a page of 100): the query alone took 2.3 ms
    /// over 2,000 runs and takes 0.6 ms walked, and the load bench's search p50 over 10,000 went
    /// from 205 to 42 ms on SQLite (told the order: CROSS JOIN, the index by name) and from 367 to
    /// 271 ms on PostgreSQL (whose planner picks it when the tables have statistics: the server
    /// analyses them after a burst of new runs; then 135 ms). Not with a total count, which needs every
    /// match anyway.
    /// </summary>
    private FilterClause? Driver(IReadOnlyList<FilterClause> clauses, List<OrderClause> orders, RunSearchQuery query) =>
        _walkMetricIndex && !query.CountTotal && orders.Count > 0 && orders[0].Entity == FilterEntity.Metric
            ? clauses.FirstOrDefault(c => c.Entity == FilterEntity.Metric && c.Number is not null && string.Equals(c.Key, orders[0].Key, StringComparison.Ordinal))
            : null;

    /// <summary>
    /// The ids a filter clause matches when they are few (at most <paramref name="few"/>, 1,000),
    /// else null. PostgreSQL keeps one histogram for all of a column's values, so it cannot see
    /// that <c>metrics.acc &gt; 0.999</c> is rare when other keys' values (a loss up to 3) mostly
    /// pass the bound: it guessed a third of the runs matched, and walked the runs newest first
    /// testing each (47,000 probes for 98 matches, 0.5 to 2 s). Given as an array, the planner
    /// knows the count exactly and reads just those runs, then sorts them. A clause with many
    /// matches keeps its subquery, for which that walk finds a page quickly.
    /// </summary>
    private static async Task<List<string>?> FewCandidatesAsync(DbConnection connection, SqlParameters parameters, string subquery, int few, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = subquery + " LIMIT " + (few + 1).ToString(CultureInfo.InvariantCulture);
        parameters.ApplyTo(command, parameters.Count);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (ids.Count == few)
            {
                return null;
            }

            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static string InList(DbCommand command, string[] ids)
    {
        var names = new string[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            var name = "r" + i.ToString(CultureInfo.InvariantCulture);
            SqlDatabase.AddParameter(command, name, ids[i]);
            names[i] = "@" + name;
        }

        return string.Join(", ", names);
    }

    /// <summary>
    /// Without statistics SQLite looks candidate ids up in the primary key and then reads the wide
    /// row; the narrow index answers the same lookup from the index alone (10x fewer pages).
    /// </summary>
    private string Hint(bool candidates) =>
        candidates && _database.Kind == SqlKind.Sqlite ? " INDEXED BY search_runs_narrow" : string.Empty;

    private static string WhereText(List<string> conditions) =>
        conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", conditions);

    private static string OrderText(SortKey key)
    {
        var direction = key.Ascending ? "ASC" : "DESC";
        return key.Nullable
            ? $"CASE WHEN {key.Expression} IS NULL THEN 1 ELSE 0 END, {key.Expression} {direction}"
            : $"{key.Expression} {direction}";
    }

    /// <summary>Ties a page token to the query it was made for, so a token from another query is refused.</summary>
    private static string Fingerprint(RunSearchQuery query)
    {
        using var shape = new MemoryStream();
        using (var writer = new Utf8JsonWriter(shape))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(query.Filter ?? string.Empty);
            writer.WriteStartArray();
            foreach (var key in query.OrderBy)
            {
                writer.WriteStringValue(key);
            }

            writer.WriteEndArray();
            writer.WriteStringValue(query.Name);
            writer.WriteStringValue(query.NameContains);
            WriteStrings(writer, query.Statuses.Select(s => s.ToString()));
            WriteStrings(writer, query.Kinds);
            writer.WriteStringValue(query.ParentId);
            WriteStrings(writer, query.ExperimentIds);
            writer.WriteStringValue(query.ViewType.ToString());
            writer.WriteEndArray();
        }

        return Sha256Hasher.HashBytes(shape.ToArray())[..16];
    }

    private static void WriteStrings(Utf8JsonWriter writer, IEnumerable<string> values)
    {
        writer.WriteStartArray();
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static RunSummary ReadSummary(DbDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Name = reader.IsDBNull(1) ? null : reader.GetString(1),
        Kind = reader.GetString(2),
        ParentId = reader.IsDBNull(3) ? null : reader.GetString(3),
        Status = MlflowStatus.ParseReproText(reader.GetString(4)),
        ExitCode = Convert.ToInt32(reader.GetValue(5), CultureInfo.InvariantCulture),
        CreatedAt = ReadTime(reader.GetValue(6)),
        WallSeconds = Convert.ToDouble(reader.GetValue(7), CultureInfo.InvariantCulture),
        Seed = reader.IsDBNull(8) ? null : Convert.ToInt64(reader.GetValue(8), CultureInfo.InvariantCulture),
        Digest = reader.GetString(9),
    };

    private static DateTimeOffset ReadTime(object value) => value switch
    {
        DateTimeOffset offset => offset,
        DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
        _ => DateTimeOffset.Parse(Convert.ToString(value, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
    };

    private static object? ReadSortValue(DbDataReader reader, int ordinal, SqlValueType type)
    {
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }

        var value = reader.GetValue(ordinal);
        return type switch
        {
            SqlValueType.Real => Convert.ToDouble(value, CultureInfo.InvariantCulture),
            SqlValueType.Integer => Convert.ToInt64(value, CultureInfo.InvariantCulture),
            _ => value is DateTime or DateTimeOffset ? StoredTime.Format(ReadTime(value)) : Convert.ToString(value, CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The page's runs in order, with their latest metrics, params and tags: four queries per chunk of ids.</summary>
    private static async Task<IReadOnlyList<SearchedRun>> LoadPageAsync(DbConnection connection, List<string> ids, CancellationToken cancellationToken)
    {
        var byId = new Dictionary<string, RunSummary>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(ChunkSize))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM runs r WHERE r.id IN ({InList(command, chunk)})";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var summary = ReadSummary(reader);
                byId[summary.Id] = summary;
            }
        }

        // A run deleted between the two queries is left out.
        var runs = ids.Where(byId.ContainsKey).Select(id => byId[id]).ToList();
        var metrics = runs.ToDictionary(r => r.Id, _ => new SortedDictionary<string, double>(StringComparer.Ordinal), StringComparer.Ordinal);
        var parameters = runs.ToDictionary(r => r.Id, _ => new SortedDictionary<string, string>(StringComparer.Ordinal), StringComparer.Ordinal);
        var tags = runs.ToDictionary(r => r.Id, _ => new SortedDictionary<string, string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var chunk in runs.Chunk(ChunkSize))
        {
            foreach (var table in new[] { "metrics", "params", "tags" })
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT run_id, key, value FROM {table} WHERE run_id IN ({InList(command, chunk.Select(r => r.Id).ToArray())})";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var run = reader.GetString(0);
                    var key = reader.GetString(1);
                    if (table == "metrics")
                    {
                        metrics[run][key] = reader.IsDBNull(2) ? double.NaN : Convert.ToDouble(reader.GetValue(2), CultureInfo.InvariantCulture);
                    }
                    else
                    {
                        (table == "params" ? parameters : tags)[run][key] = reader.GetString(2);
                    }
                }
            }
        }

        return runs.Select(r => new SearchedRun
        {
            Summary = r with { Metrics = metrics[r.Id] },
            Params = parameters[r.Id],
            Tags = tags[r.Id],
            MlflowStatus = MlflowStatus.FromReproText(MlflowStatus.ReproText(r.Status)),
        }).ToList();
    }
}
