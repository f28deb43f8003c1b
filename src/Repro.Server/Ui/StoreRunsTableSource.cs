using Repro.Blobs.Storage;

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
            throw new RunsFilterException("this server was started without the store's database, so it cannot filter: it lists the newest runs only");
        }

        var runs = await store.ListAsync(new RunQuery { Limit = query.PageSize }, cancellationToken);
        return new RunsTablePage(runs, null, null);
    }
}
