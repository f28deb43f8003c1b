using Repro.Model;

namespace Repro.Blobs.Storage;

/// <summary>The audit log a page at a time, for a log too long to read whole (<see cref="IRunStore.ReadAuditAsync"/>).</summary>
public interface IAuditLog
{
    /// <summary>How many links the log holds and the newest one's hash (null when empty).</summary>
    Task<(long Count, string? Head)> SummaryAsync(CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> links with a sequence number below <paramref name="before"/> (null: from the head), newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> PageAsync(long? before, int limit, CancellationToken cancellationToken);
}
