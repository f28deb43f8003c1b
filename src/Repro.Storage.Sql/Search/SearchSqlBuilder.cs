using System.Text;

namespace Repro.Storage.Sql.Search;

/// <summary>
/// Turns parsed clauses into SQL conditions over <c>runs r</c>. Only fixed fragments of this
/// class reach the SQL text; every key, value and pattern goes through <see cref="Parameters"/>.
/// </summary>
internal sealed class SearchSqlBuilder
{
    private const string UserTag = "mlflow.user";
    private const string StatusAsMlflow = "CASE r.status WHEN 'ok' THEN 'FINISHED' WHEN 'failed' THEN 'FAILED' WHEN 'running' THEN 'RUNNING' WHEN 'killed' THEN 'KILLED' WHEN 'scheduled' THEN 'SCHEDULED' ELSE UPPER(r.status) END";

    private readonly SqlKind _kind;
    private readonly TrackingColumns? _tracking;
    private readonly StringBuilder _joins = new();
    private int _joinCount;

    public SearchSqlBuilder(SqlKind kind, TrackingColumns? tracking)
    {
        _kind = kind;
        _tracking = tracking;
    }

    public SqlParameters Parameters { get; } = new();

    /// <summary>Whether some condition or sort key reads the tracking table (alias x).</summary>
    public bool UsesTracking { get; private set; }

    /// <summary>Whether a condition draws candidate run ids from params, metrics, tags or an id list.</summary>
    public bool UsesCandidates { get; private set; }

    /// <summary>
    /// The run ids the last <see cref="Condition"/> draws its candidates from (a metric, param or
    /// tag clause), as a query over the parameters added so far; null for an attribute.
    /// </summary>
    public string? Subquery { get; private set; }

    /// <summary>LEFT JOINs the sort keys need (one per metric, param or tag sorted on).</summary>
    public string Joins => _joins.ToString();

    /// <summary>
    /// The last metric, param or tag <see cref="Condition"/> as a probe of the one run in hand
    /// (<c>EXISTS</c> over the table's (run_id, key) key) instead of a list of every match: what a
    /// search that walks a few candidates in order (<see cref="DriverCondition"/>) needs.
    /// </summary>
    public string? Probe { get; private set; }

    public string Condition(FilterClause clause)
    {
        UsesCandidates |= clause.Entity != FilterEntity.Attribute || clause.List is not null;
        var (table, alias, test) = clause.Entity switch
        {
            FilterEntity.Metric => ("metrics", "m", $"m.key = {Parameters.Add(clause.Key)} AND m.value {NumericOperator(clause.Comparator)} {Parameters.Add(clause.Number!.Value)}"),
            FilterEntity.Param => ("params", "p", $"p.key = {Parameters.Add(clause.Key)} AND {Text("p.value", clause.Comparator, clause.Text!)}"),
            FilterEntity.Tag => ("tags", "t", $"t.key = {Parameters.Add(clause.Key)} AND {Text("t.value", clause.Comparator, clause.Text!)}"),
            _ => (null, null, null),
        };
        Subquery = table is null ? null : $"SELECT {alias}.run_id FROM {table} {alias} WHERE {test}";
        Probe = table is null ? null : $"EXISTS (SELECT 1 FROM {table} {alias} WHERE {alias}.run_id = r.id AND {test})";
        if (Subquery is not null)
        {
            return $"r.id IN ({Subquery})";
        }

        switch (clause.Key)
        {
            case SearchFilterParser.StartTime:
                return StartTime(clause.Comparator, clause.Number!.Value);
            case SearchFilterParser.EndTime:
                return $"{EndTimeExpression()} {NumericOperator(clause.Comparator)} {Parameters.Add(clause.Number!.Value)}";
            case SearchFilterParser.Status:
                return Status(clause);
            case SearchFilterParser.RunId when clause.List is { } ids:
                return $"r.id {(clause.Comparator == FilterComparator.NotIn ? "NOT IN" : "IN")} ({Parameters.AddList(ids)})";
            default:
                var (expression, _) = Attribute(clause.Key);
                return Text(expression, clause.Comparator, clause.Text!);
        }
    }

    public IEnumerable<string> PlainFilters(RunSearchQuery query)
    {
        if (query.Name is not null)
        {
            yield return $"r.name = {Parameters.Add(query.Name)}";
        }

        if (!string.IsNullOrEmpty(query.NameContains))
        {
            yield return $"LOWER(r.name) LIKE {Parameters.Add("%" + EscapeLike(query.NameContains.ToLowerInvariant()) + "%")} ESCAPE '\\'";
        }

        if (query.Statuses.Count > 0)
        {
            yield return $"r.status IN ({Parameters.AddList(query.Statuses.Select(s => (object?)MlflowStatus.ReproText(s)))})";
        }

        if (query.Kinds.Count > 0)
        {
            yield return $"r.kind IN ({Parameters.AddList(query.Kinds)})";
        }

        if (query.ParentId is not null)
        {
            yield return $"r.parent_id = {Parameters.Add(query.ParentId)}";
        }

        if (query.ExperimentIds.Count > 0)
        {
            if (_tracking?.ExperimentId is { } column)
            {
                UsesTracking = true;
                // A run without a tracking row is in the default experiment. Spelled with IS NULL
                // rather than COALESCE, so PostgreSQL's planner can estimate it from the column's
                // statistics: it guessed 1 run in 200 for the COALESCE, sorted every match of a
                // search for a handful and never walked a metric's index for a page.
                var inList = $"x.{column} IN ({Parameters.AddList(query.ExperimentIds)})";
                yield return query.ExperimentIds.Contains(_tracking.DefaultExperimentId) ? $"({inList} OR x.{_tracking.RunId} IS NULL)" : inList;
            }
            else if (!query.ExperimentIds.Contains(_tracking?.DefaultExperimentId ?? "0"))
            {
                // Without the tracking module every run is in the default experiment.
                yield return "1 = 0";
            }
        }

        if (_tracking?.LifecycleStage is { } stage)
        {
            if (query.ViewType != RunViewType.All)
            {
                UsesTracking = true;
                yield return query.ViewType == RunViewType.ActiveOnly ? $"(x.{stage} = 'active' OR x.{_tracking.RunId} IS NULL)" : $"x.{stage} = 'deleted'";
            }
        }
        else if (query.ViewType == RunViewType.DeletedOnly)
        {
            yield return "1 = 0";
        }
    }

    /// <summary>
    /// The metric filter <paramref name="clause"/> over <see cref="DriverAlias"/>, the metric's own
    /// rows walked in the order of its index (key, value, run_id): the search starts from them
    /// instead of from the runs when it is ordered by that same metric.
    /// </summary>
    public string DriverCondition(FilterClause clause) =>
        $"{DriverAlias}.key = {Parameters.Add(clause.Key)} AND {DriverAlias}.value {NumericOperator(clause.Comparator)} {Parameters.Add(clause.Number!.Value)} AND r.id = {DriverAlias}.run_id";

    /// <summary>The alias of the metric rows a driven search walks (<see cref="DriverCondition"/>).</summary>
    public const string DriverAlias = "d";

    public SortKey SortKey(OrderClause order)
    {
        switch (order.Entity)
        {
            case FilterEntity.Metric:
                return new SortKey($"{Join("metrics", order.Key)}.value", order.Ascending, Nullable: true, SqlValueType.Real);
            case FilterEntity.Param:
                return new SortKey(Ordinal($"{Join("params", order.Key)}.value"), order.Ascending, Nullable: true, SqlValueType.Text);
            case FilterEntity.Tag:
                return new SortKey(Ordinal($"{Join("tags", order.Key)}.value"), order.Ascending, Nullable: true, SqlValueType.Text);
        }

        return order.Key switch
        {
            // Fixed-width UTC text: every collation orders it as its bytes, and the index serves it.
            SearchFilterParser.StartTime => new SortKey("r.created_at", order.Ascending, Nullable: false, SqlValueType.Text),
            SearchFilterParser.EndTime => new SortKey(EndTimeExpression(), order.Ascending, Nullable: false, SqlValueType.Integer),
            SearchFilterParser.Status => new SortKey(Ordinal(StatusAsMlflow), order.Ascending, Nullable: false, SqlValueType.Text),
            _ => Attribute(order.Key) is var (expression, nullable) ? new SortKey(Ordinal(expression), order.Ascending, nullable, SqlValueType.Text) : throw new InvalidOperationException(),
        };
    }

    /// <summary>
    /// Text sorted (and compared against a page cursor) by its bytes, as SQLite does: a PostgreSQL
    /// database made with a language's collation (en_US, ICU) would otherwise put 'baseline'
    /// before 'Wide-Net' where SQLite puts it after.
    /// </summary>
    private string Ordinal(string expression) => _kind == SqlKind.Postgres ? $"({expression} COLLATE \"C\")" : expression;

    /// <summary>
    /// The keyset condition "comes after the cursor row" over the sort keys, lexicographically,
    /// NULLs last in either direction: key 1 after, or equal and key 2 after, and so on.
    /// </summary>
    public string After(IReadOnlyList<SortKey> keys, IReadOnlyList<object?> cursor)
    {
        string? condition = null;
        for (var i = keys.Count - 1; i >= 0; i--)
        {
            var key = keys[i];
            var value = cursor[i];
            string after;
            string equal;
            if (value is null)
            {
                // The cursor is among the NULLs, which come last: nothing is after it on this key.
                after = "1 = 0";
                equal = $"{key.Expression} IS NULL";
            }
            else
            {
                var placeholder = Parameters.Add(value);
                after = $"{key.Expression} {(key.Ascending ? ">" : "<")} {placeholder}";
                if (key.Nullable)
                {
                    after = $"({after} OR {key.Expression} IS NULL)";
                }

                equal = $"{key.Expression} = {placeholder}";
            }

            condition = condition is null ? after : $"({after} OR ({equal} AND {condition}))";
        }

        return condition!;
    }

    private static string NumericOperator(FilterComparator comparator) => comparator switch
    {
        FilterComparator.Equal => "=",
        FilterComparator.NotEqual => "<>",
        FilterComparator.Greater => ">",
        FilterComparator.GreaterOrEqual => ">=",
        FilterComparator.Less => "<",
        FilterComparator.LessOrEqual => "<=",
        _ => throw new InvalidOperationException($"{comparator} is not a numeric comparator"),
    };

    /// <summary>A string comparison; LIKE is case-sensitive and ILIKE is not, on both engines, '\' escaping % and _.</summary>
    private string Text(string expression, FilterComparator comparator, string value) => comparator switch
    {
        FilterComparator.Equal => $"{expression} = {Parameters.Add(value)}",
        FilterComparator.NotEqual => $"{expression} <> {Parameters.Add(value)}",
        FilterComparator.Like when _kind == SqlKind.Sqlite => $"{expression} GLOB {Parameters.Add(LikeToGlob(value))}",
        FilterComparator.Like => $"{expression} LIKE {Parameters.Add(value)} ESCAPE '\\'",
        FilterComparator.ILike when _kind == SqlKind.Sqlite => $"{expression} LIKE {Parameters.Add(value)} ESCAPE '\\'",
        FilterComparator.ILike => $"{expression} ILIKE {Parameters.Add(value)} ESCAPE '\\'",
        _ => throw new InvalidOperationException($"{comparator} is not a string comparator"),
    };

    /// <summary>
    /// start_time is milliseconds since the epoch in MLflow; runs.created_at is fixed-width UTC
    /// text, so a bound in milliseconds becomes the same text and the comparison stays indexable.
    /// A run's time counts as its millisecond (truncated), as MLflow reports it.
    /// </summary>
    private string StartTime(FilterComparator comparator, double milliseconds)
    {
        var floor = Math.Floor(milliseconds);
        var whole = floor == milliseconds;
        string AtLeast(double ms) => $"r.created_at >= {Parameters.Add(TimeText(ms))}";
        string Below(double ms) => $"r.created_at < {Parameters.Add(TimeText(ms))}";
        return comparator switch
        {
            FilterComparator.Greater => AtLeast(floor + 1),
            FilterComparator.GreaterOrEqual => AtLeast(whole ? floor : floor + 1),
            FilterComparator.Less => Below(whole ? floor : floor + 1),
            FilterComparator.LessOrEqual => Below(floor + 1),
            FilterComparator.Equal => whole ? $"({AtLeast(floor)} AND {Below(floor + 1)})" : "1 = 0",
            FilterComparator.NotEqual => whole ? $"({Below(floor)} OR {AtLeast(floor + 1)})" : "1 = 1",
            _ => throw new InvalidOperationException($"{comparator} is not a numeric comparator"),
        };
    }

    private static string TimeText(double milliseconds)
    {
        var min = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
        var max = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();
        var clamped = (long)Math.Clamp(milliseconds, min, max);
        return StoredTime.Format(DateTimeOffset.FromUnixTimeMilliseconds(clamped));
    }

    /// <summary>MLflow's end_time in milliseconds: the tracking module's, else the start plus the wall time.</summary>
    private string EndTimeExpression()
    {
        var computed = _kind == SqlKind.Sqlite
            ? "CAST((julianday(r.created_at) - 2440587.5) * 86400000.0 + r.wall_seconds * 1000.0 AS INTEGER)"
            : "CAST(FLOOR(EXTRACT(EPOCH FROM CAST(r.created_at AS TIMESTAMPTZ)) * 1000 + r.wall_seconds * 1000.0) AS BIGINT)";
        if (_tracking?.EndTime is { } column)
        {
            UsesTracking = true;
            return $"COALESCE(x.{column}, {computed})";
        }

        return computed;
    }

    private string Status(FilterClause clause)
    {
        switch (clause.Comparator)
        {
            case FilterComparator.Equal or FilterComparator.NotEqual:
                var status = MlflowStatus.ReproTextFor(clause.Text!);
                if (status is null)
                {
                    return clause.Comparator == FilterComparator.Equal ? "1 = 0" : "1 = 1";
                }

                return $"r.status {(clause.Comparator == FilterComparator.Equal ? "=" : "<>")} {Parameters.Add(status)}";
            case FilterComparator.In or FilterComparator.NotIn:
                var statuses = clause.List!.Select(MlflowStatus.ReproTextFor).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
                if (statuses.Count == 0)
                {
                    return clause.Comparator == FilterComparator.In ? "1 = 0" : "1 = 1";
                }

                return $"r.status {(clause.Comparator == FilterComparator.In ? "IN" : "NOT IN")} ({Parameters.AddList(statuses)})";
            default:
                return Text(StatusAsMlflow, clause.Comparator, clause.Text!);
        }
    }

    /// <summary>A string attribute's SQL expression and whether it can be NULL.</summary>
    private (string Expression, bool Nullable) Attribute(string key)
    {
        switch (key)
        {
            case SearchFilterParser.RunId:
                return ("r.id", false);
            case SearchFilterParser.RunName:
                return ("r.name", true);
            case SearchFilterParser.UserId:
                var tag = $"(SELECT u.value FROM tags u WHERE u.run_id = r.id AND u.key = {Parameters.Add(UserTag)})";
                if (_tracking?.UserId is { } user)
                {
                    UsesTracking = true;
                    return ($"COALESCE(x.{user}, {tag})", true);
                }

                return (tag, true);
            case SearchFilterParser.ArtifactUri:
                if (_tracking?.ArtifactUri is { } uri)
                {
                    UsesTracking = true;
                    return ($"x.{uri}", true);
                }

                return ("CAST(NULL AS TEXT)", true);
            default:
                throw new InvalidOperationException($"unknown attribute {key}");
        }
    }

    private string Join(string table, string key)
    {
        var alias = "o" + _joinCount.ToString(CultureInfo.InvariantCulture);
        _joinCount++;
        _joins.Append(CultureInfo.InvariantCulture, $" LEFT JOIN {table} {alias} ON {alias}.run_id = r.id AND {alias}.key = {Parameters.Add(key)}");
        return alias;
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    /// <summary>
    /// SQLite's LIKE ignores ASCII case, its GLOB does not: the LIKE pattern (% and _, '\' escaping)
    /// becomes the GLOB pattern (* and ?, specials bracketed) with the same meaning.
    /// </summary>
    internal static string LikeToGlob(string pattern)
    {
        var glob = new StringBuilder(pattern.Length + 8);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                AppendLiteral(glob, pattern[++i]);
            }
            else if (c == '%')
            {
                glob.Append('*');
            }
            else if (c == '_')
            {
                glob.Append('?');
            }
            else
            {
                AppendLiteral(glob, c);
            }
        }

        return glob.ToString();
    }

    private static void AppendLiteral(StringBuilder glob, char c)
    {
        if (c is '*' or '?' or '[')
        {
            glob.Append('[').Append(c).Append(']');
        }
        else
        {
            glob.Append(c);
        }
    }
}
