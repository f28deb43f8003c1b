using Repro.Blobs.Storage.Search;
using Repro.Ports;

namespace Repro.Server.Ui;

/// <summary>
/// The runs table from the store's <see cref="IRunSearch"/>: the filter in MLflow's grammar,
/// sorted, keyset-paged and counted by the store. The search is opened (its indexes added) on the
/// first query.
/// </summary>
internal sealed class SearchRunsTableSource(IStoreDatabase database) : IRunsTableSource
{
    private readonly Lazy<Task<IRunSearch>> _search = new(() => database.OpenRunSearchAsync(CancellationToken.None));

    public async Task<RunsTablePage> QueryAsync(RunsTableQuery query, CancellationToken cancellationToken)
    {
        var search = await _search.Value.WaitAsync(cancellationToken);
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
            var result = await search.SearchAsync(
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
