using Repro.Blobs.Storage;
using Repro.Model;

namespace Repro.Server.Ui;

/// <summary>
/// The audit log a page at a time: its size and head, and one page of links newest first, from
/// the store's paged log (an index range, whatever the log's length), or from the whole log when
/// the server has none.
/// </summary>
internal sealed class AuditLogSource(IRunStore store, IAuditLog? log)
{
    /// <summary>How many links the log holds and the newest one's hash (null when empty).</summary>
    public async Task<(long Count, string? Head)> SummaryAsync(CancellationToken cancellationToken)
    {
        if (log is not null)
        {
            return await log.SummaryAsync(cancellationToken);
        }

        var all = await store.ReadAuditAsync(cancellationToken);
        return (all.Count, all.Count == 0 ? null : all[^1].Hash);
    }

    /// <summary>Up to <paramref name="limit"/> links with a sequence number below <paramref name="before"/> (null: from the head), newest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> PageAsync(long? before, int limit, CancellationToken cancellationToken)
    {
        if (log is not null)
        {
            return await log.PageAsync(before, limit, cancellationToken);
        }

        var all = await store.ReadAuditAsync(cancellationToken);
        return all.Where(e => before is null || e.Seq < before).Reverse().Take(limit).ToList();
    }
}
