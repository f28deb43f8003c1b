using Repro.Blobs.Storage.Search;
using Repro.Blobs.Storage.Sql;

namespace Repro.Server.Ui;

/// <summary>
/// The runs table from <see cref="RunSearch"/>: the filter parsed from MLflow's grammar into
/// parameterised SQL, sorted, keyset-paged and counted by the database (two queries for the
/// page, one for the count). The search module's indexes are added on the first query.
/// </summary>
internal sealed class SearchRunsTableSource(SqlDatabase database) : IRunsTableSource
{
    private readonly RunSearch _search = new(database);
    private readonly Lazy<Task> _migrated = new(() => RunSearch.MigrateAsync(database, CancellationToken.None));

    public async Task<RunsTablePage> QueryAsync(RunsTableQuery query, CancellationToken cancellationToken)
    {
        await _migrated.Value.WaitAsync(cancellationToken);
        var direction = query.Descending ? " DESC" : " ASC";
        var order = query.Sort switch
        {
            "name" => "attributes.run_name" + direction,
            "status" => "attributes.status" + direction,
            "created" => "attributes.start_time" + direction,
            _ => "metrics.`" + query.Sort["metrics.".Length..] + "`" + direction,
        };
        try
        {
            var result = await _search.SearchAsync(
                new RunSearchQuery
                {
                    Filter = query.Filter.Length == 0 ? null : query.Filter,
                    OrderBy = [order],
                    MaxResults = query.PageSize,
                    PageToken = query.After.Length == 0 ? null : query.After,
                    CountTotal = true,
                },
                cancellationToken);
            return new RunsTablePage(result.Runs.Select(r => r.Summary).ToList(), result.NextPageToken, result.Total);
        }
        catch (SearchFilterException ex)
        {
            throw new RunsFilterException(ex.Message);
        }
    }
}
