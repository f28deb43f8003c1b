using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Repro.Server.Ui;

/// <summary>What the runs page was asked for, read from its query string and bounded.</summary>
internal sealed record RunsTableQuery
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    /// <summary>An MLflow-style filter (<c>metrics.acc &gt; 0.9 AND params.lr = '0.01'</c>), or empty.</summary>
    public string Filter { get; init; } = string.Empty;

    /// <summary><c>created</c>, <c>name</c>, <c>status</c> or <c>metrics.KEY</c>.</summary>
    public string Sort { get; init; } = "created";

    public bool Descending { get; init; } = true;

    /// <summary>The opaque token of the page before (keyset paging: as fast on page 2,000 as on page 1); empty for the first.</summary>
    public string After { get; init; } = string.Empty;

    /// <summary>The 1-based position of this page's first run, for the "Runs 51–100 of N" line only.</summary>
    public int From { get; init; } = 1;

    public int PageSize { get; init; } = DefaultPageSize;

    public static RunsTableQuery Parse(IQueryCollection query)
    {
        var sort = query["sort"].ToString();
        if (!(sort is "created" or "name" or "status" || (sort.StartsWith("metrics.", StringComparison.Ordinal) && sort.Length > "metrics.".Length && !sort.Contains('`', StringComparison.Ordinal))))
        {
            sort = "created";
        }

        return new RunsTableQuery
        {
            Filter = query["filter"].ToString().Trim(),
            Sort = sort,
            Descending = query["dir"].ToString() != "asc",
            After = query["after"].ToString(),
            From = Positive(query["from"].ToString(), 1),
            PageSize = Math.Clamp(Positive(query["size"].ToString(), DefaultPageSize), 1, MaxPageSize),
        };
    }

    private static int Positive(string text, int fallback) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
