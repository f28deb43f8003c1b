using System.Globalization;

namespace Repro.Blobs.Storage.Search;

/// <summary>
/// MLflow's run search grammar: clauses <c>entity.key comparator value</c> joined by AND (there is
/// no OR), entities metrics/params/tags/attributes and their aliases, keys bare, dotted,
/// "double-quoted" or `backticked`, and the comparators MLflow allows per entity. Errors carry
/// MLflow's INVALID_PARAMETER_VALUE wording.
/// </summary>
public static class SearchFilterParser
{
    public const string StartTime = "start_time";
    public const string EndTime = "end_time";
    public const string RunId = "run_id";
    public const string RunName = "run_name";
    public const string Status = "status";
    public const string UserId = "user_id";
    public const string ArtifactUri = "artifact_uri";

    private const string EntityTypes = "['metric', 'parameter', 'tag', 'attribute', 'dataset']";

    private static readonly Dictionary<string, FilterEntity> Entities = new(StringComparer.Ordinal)
    {
        ["metric"] = FilterEntity.Metric,
        ["metrics"] = FilterEntity.Metric,
        ["parameter"] = FilterEntity.Param,
        ["parameters"] = FilterEntity.Param,
        ["param"] = FilterEntity.Param,
        ["params"] = FilterEntity.Param,
        ["tag"] = FilterEntity.Tag,
        ["tags"] = FilterEntity.Tag,
        ["attribute"] = FilterEntity.Attribute,
        ["attributes"] = FilterEntity.Attribute,
        ["attr"] = FilterEntity.Attribute,
        ["run"] = FilterEntity.Attribute,
    };

    /// <summary>Attribute names as written, to their canonical name (MLflow's aliases included).</summary>
    private static readonly Dictionary<string, string> Attributes = new(StringComparer.Ordinal)
    {
        [RunId] = RunId,
        [RunName] = RunName,
        ["run name"] = RunName,
        ["Run name"] = RunName,
        ["Run Name"] = RunName,
        [Status] = Status,
        [StartTime] = StartTime,
        ["created"] = StartTime,
        ["Created"] = StartTime,
        [EndTime] = EndTime,
        [UserId] = UserId,
        [ArtifactUri] = ArtifactUri,
    };

    private static readonly FilterComparator[] NumericComparators =
        [FilterComparator.Equal, FilterComparator.NotEqual, FilterComparator.Greater, FilterComparator.GreaterOrEqual, FilterComparator.Less, FilterComparator.LessOrEqual];

    private static readonly FilterComparator[] TextComparators =
        [FilterComparator.Equal, FilterComparator.NotEqual, FilterComparator.Like, FilterComparator.ILike];

    private static readonly FilterComparator[] StringAttributeComparators =
        [.. TextComparators, FilterComparator.In, FilterComparator.NotIn];

    /// <summary>Attributes compared with a parenthesised list (MLflow allows run_id; repro also status).</summary>
    private static readonly string[] ListAttributes = [RunId, Status];

    public static bool IsNumericAttribute(string key) => key is StartTime or EndTime;

    /// <summary>The clauses of <paramref name="filter"/>; none for null or blank.</summary>
    public static IReadOnlyList<FilterClause> Parse(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return [];
        }

        var tokens = FilterLexer.Tokenize(filter);
        var clauses = new List<FilterClause>();
        var at = 0;
        while (true)
        {
            if (tokens[at].Kind == FilterTokenKind.End)
            {
                throw Invalid(filter, tokens[at]);
            }

            var (entity, key) = ReadIdentifier(filter, tokens, ref at, KnownAttributes);
            var (comparator, comparatorText) = ReadComparator(filter, tokens, ref at);
            clauses.Add(ReadValue(filter, tokens, ref at, entity, key, comparator, comparatorText));
            if (tokens[at].Kind == FilterTokenKind.End)
            {
                return clauses;
            }

            if (IsWord(tokens[at], "AND"))
            {
                at++;
                continue;
            }

            throw Invalid(filter, tokens[at]);
        }
    }

    /// <summary>One order_by item: an identifier and an optional ASC or DESC (ascending when absent).</summary>
    public static OrderClause ParseOrderBy(string orderBy)
    {
        ArgumentNullException.ThrowIfNull(orderBy);
        var tokens = FilterLexer.Tokenize(orderBy);
        var at = 0;
        if (tokens[0].Kind == FilterTokenKind.End)
        {
            throw new SearchFilterException($"Invalid order_by clause '{orderBy}'. Could not be parsed.");
        }

        FilterEntity entity;
        string key;
        try
        {
            (entity, key) = ReadIdentifier(orderBy, tokens, ref at, KnownAttributes);
        }
        catch (SearchFilterException ex) when (ex.Message.StartsWith("Invalid clause", StringComparison.Ordinal))
        {
            throw new SearchFilterException($"Invalid order_by clause '{orderBy}'. Could not be parsed.", ex);
        }

        var ascending = true;
        if (tokens[at].Kind == FilterTokenKind.Word)
        {
            if (IsWord(tokens[at], "ASC") || IsWord(tokens[at], "DESC"))
            {
                ascending = IsWord(tokens[at], "ASC");
                at++;
            }
            else
            {
                throw new SearchFilterException($"Invalid ordering key in order_by clause '{orderBy}'.");
            }
        }

        if (tokens[at].Kind != FilterTokenKind.End)
        {
            throw new SearchFilterException($"Invalid order_by clause '{orderBy}'. Could not be parsed.");
        }

        return new OrderClause(entity, key, ascending);
    }

    private static string KnownAttributes => string.Join(", ", Attributes.Keys.Where(k => !k.Contains(' ', StringComparison.Ordinal) && k != "Created").Order(StringComparer.Ordinal));

    private static (FilterEntity Entity, string Key) ReadIdentifier(string text, List<FilterToken> tokens, ref int at, string validAttributes)
    {
        var parts = new List<FilterToken>();
        while (true)
        {
            var token = tokens[at];
            if (token.Kind is not (FilterTokenKind.Word or FilterTokenKind.DoubleQuoted or FilterTokenKind.Backticked or FilterTokenKind.Number)
                || (parts.Count == 0 && token.Kind == FilterTokenKind.Number))
            {
                throw Invalid(text, token);
            }

            parts.Add(token);
            at++;
            if (tokens[at].Kind != FilterTokenKind.Dot)
            {
                break;
            }

            at++;
        }

        FilterEntity entity;
        string key;
        if (parts.Count == 1)
        {
            entity = FilterEntity.Attribute;
            key = parts[0].Value;
        }
        else
        {
            var type = parts[0].Value;
            if (type is "dataset" or "datasets")
            {
                throw new SearchFilterException($"Invalid entity type '{type}': repro records a run's data as its deps, not as MLflow datasets; filter on params, tags or attributes instead");
            }

            if (!Entities.TryGetValue(type, out entity))
            {
                throw new SearchFilterException($"Invalid entity type '{type}'. Valid values are {EntityTypes}");
            }

            key = string.Join('.', parts.Skip(1).Select(p => p.Value));
        }

        if (key.Length == 0)
        {
            throw new SearchFilterException($"Invalid identifier '{string.Join('.', parts.Select(p => p.Raw))}'. Columns should be specified as 'attribute.<key>', 'metric.<key>', 'tag.<key>' or 'param.<key>'.");
        }

        if (entity == FilterEntity.Attribute)
        {
            key = Attributes.TryGetValue(key, out var canonical)
                ? canonical
                : throw new SearchFilterException($"Invalid attribute key '{key}' specified. Valid keys are '{validAttributes}'");
        }

        return (entity, key);
    }

    private static (FilterComparator Comparator, string Text) ReadComparator(string text, List<FilterToken> tokens, ref int at)
    {
        var token = tokens[at];
        if (token.Kind == FilterTokenKind.Operator)
        {
            at++;
            return token.Raw switch
            {
                "=" => (FilterComparator.Equal, "="),
                "!=" => (FilterComparator.NotEqual, "!="),
                ">" => (FilterComparator.Greater, ">"),
                ">=" => (FilterComparator.GreaterOrEqual, ">="),
                "<" => (FilterComparator.Less, "<"),
                "<=" => (FilterComparator.LessOrEqual, "<="),
                _ => throw new SearchFilterException($"Invalid comparator '{token.Raw}' in filter '{text}'. Valid comparators are =, !=, >, >=, <, <=, LIKE, ILIKE, IN, NOT IN"),
            };
        }

        if (IsWord(token, "LIKE"))
        {
            at++;
            return (FilterComparator.Like, "LIKE");
        }

        if (IsWord(token, "ILIKE"))
        {
            at++;
            return (FilterComparator.ILike, "ILIKE");
        }

        if (IsWord(token, "IN"))
        {
            at++;
            return (FilterComparator.In, "IN");
        }

        if (IsWord(token, "NOT") && IsWord(tokens[at + 1], "IN"))
        {
            at += 2;
            return (FilterComparator.NotIn, "NOT IN");
        }

        throw new SearchFilterException($"Invalid comparison clause in filter '{text}'. Expected a comparator, found '{(token.Kind == FilterTokenKind.End ? "end of filter" : token.Raw)}'");
    }

    private static FilterClause ReadValue(string text, List<FilterToken> tokens, ref int at, FilterEntity entity, string key, FilterComparator comparator, string comparatorText)
    {
        var allowed = entity switch
        {
            FilterEntity.Metric => NumericComparators,
            FilterEntity.Param or FilterEntity.Tag => TextComparators,
            _ when IsNumericAttribute(key) => NumericComparators,
            _ => StringAttributeComparators,
        };
        if (!allowed.Contains(comparator))
        {
            throw new SearchFilterException($"Invalid comparator '{comparatorText}' not one of '{{{string.Join(", ", allowed.Select(c => "'" + Symbol(c) + "'"))}}}'");
        }

        var token = tokens[at];
        if (token.Kind == FilterTokenKind.End)
        {
            throw new SearchFilterException($"Invalid comparison clause in filter '{text}'. Expected a value after '{comparatorText}'");
        }

        var clause = new FilterClause { Entity = entity, Key = key, Comparator = comparator };
        if (entity == FilterEntity.Metric || (entity == FilterEntity.Attribute && IsNumericAttribute(key)))
        {
            if (token.Kind != FilterTokenKind.Number)
            {
                throw new SearchFilterException(entity == FilterEntity.Metric
                    ? $"Expected numeric value type for metric. Found {token.Raw}"
                    : $"Expected numeric value type for numeric attribute: {key}. Found {token.Raw}");
            }

            at++;
            return clause with { Number = double.Parse(token.Raw, NumberStyles.Float, CultureInfo.InvariantCulture) };
        }

        if (comparator is FilterComparator.In or FilterComparator.NotIn)
        {
            if (!ListAttributes.Contains(key))
            {
                throw new SearchFilterException("Only the 'run_id' and 'status' attributes support comparison with a list of quoted string values.");
            }

            return clause with { List = ReadList(text, tokens, ref at) };
        }

        if (token.Kind is FilterTokenKind.String or FilterTokenKind.DoubleQuoted)
        {
            at++;
            return clause with { Text = token.Value };
        }

        if (token.Kind == FilterTokenKind.OpenParen && entity == FilterEntity.Attribute)
        {
            throw new SearchFilterException($"Invalid comparison clause in filter '{text}'. A parenthesised list goes with IN or NOT IN, not '{comparatorText}'");
        }

        throw new SearchFilterException(entity switch
        {
            FilterEntity.Param => $"Expected a quoted string value for param (e.g. 'my-value'). Got value {token.Raw}",
            FilterEntity.Tag => $"Expected a quoted string value for tag (e.g. 'my-value'). Got value {token.Raw}",
            _ => $"Expected a quoted string value for attributes. Got value {token.Raw}",
        });
    }

    private static List<string> ReadList(string text, List<FilterToken> tokens, ref int at)
    {
        if (tokens[at].Kind != FilterTokenKind.OpenParen)
        {
            throw new SearchFilterException($"Invalid comparison clause in filter '{text}'. IN and NOT IN take a parenthesised list of quoted strings, e.g. ('a', 'b')");
        }

        at++;
        var items = new List<string>();
        while (true)
        {
            var token = tokens[at];
            if (token.Kind == FilterTokenKind.CloseParen && items.Count == 0)
            {
                throw new SearchFilterException("While parsing a list in the query, expected a non-empty list of string values, but got empty list");
            }

            if (token.Kind is not (FilterTokenKind.String or FilterTokenKind.DoubleQuoted))
            {
                throw new SearchFilterException($"While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: {(token.Kind == FilterTokenKind.End ? "end of filter" : token.Raw)}");
            }

            items.Add(token.Value);
            at++;
            if (tokens[at].Kind == FilterTokenKind.Comma)
            {
                at++;
                continue;
            }

            if (tokens[at].Kind == FilterTokenKind.CloseParen)
            {
                at++;
                return items;
            }

            throw new SearchFilterException($"While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: {(tokens[at].Kind == FilterTokenKind.End ? "end of filter" : tokens[at].Raw)}");
        }
    }

    private static string Symbol(FilterComparator comparator) => comparator switch
    {
        FilterComparator.Equal => "=",
        FilterComparator.NotEqual => "!=",
        FilterComparator.Greater => ">",
        FilterComparator.GreaterOrEqual => ">=",
        FilterComparator.Less => "<",
        FilterComparator.LessOrEqual => "<=",
        FilterComparator.Like => "LIKE",
        FilterComparator.ILike => "ILIKE",
        FilterComparator.In => "IN",
        _ => "NOT IN",
    };

    private static bool IsWord(FilterToken token, string word) =>
        token.Kind == FilterTokenKind.Word && string.Equals(token.Raw, word, StringComparison.OrdinalIgnoreCase);

    /// <summary>MLflow's message for text it cannot read as AND-ed comparisons, quoting the rest of the filter from there.</summary>
    private static SearchFilterException Invalid(string text, FilterToken token)
    {
        if (token.Kind == FilterTokenKind.End)
        {
            return new SearchFilterException($"Invalid filter '{text}'. Could not be parsed: it ends where a comparison was expected.");
        }

        var rest = text[token.Position..].Trim();
        var hint = token.Kind == FilterTokenKind.Word && string.Equals(token.Raw, "OR", StringComparison.OrdinalIgnoreCase)
            ? " (the filter grammar has no OR: join comparisons with AND)"
            : string.Empty;
        return new SearchFilterException($"Invalid clause(s) in filter string: '{rest}'{hint}");
    }
}
