using Repro.Storage;

namespace Repro.Server.Ui;

/// <summary>
/// The runs table from <see cref="IRunStore.ListAsync"/> alone: newest first, no filter. Used when
/// the store's database cannot be searched.
/// </summary>
internal sealed class StoreRunsTableSource(IRunStore store) : IRunsTableSource
{
    public async Task<RunsTablePage> QueryAsync(RunsTableQuery query, CancellationToken cancellationToken)
    {
        if (query.Filter.Length > 0)
        {
            throw new RunsFilterException("this store cannot be filtered");
        }

        var skip = (query.Page - 1) * query.PageSize;
        var runs = await store.ListAsync(new RunQuery { Limit = skip + query.PageSize + 1 }, cancellationToken);
        var page = runs.Skip(skip).Take(query.PageSize).ToList();
        return new RunsTablePage(page, runs.Count > skip + query.PageSize, null);
    }
}
