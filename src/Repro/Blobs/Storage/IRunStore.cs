using Repro.Model;
using Repro.Model.Verdicts;

namespace Repro.Blobs.Storage;

/// <summary>
/// Where run manifests live, with params, metrics (and steps) and tags as queryable rows, the
/// verification reports, and the append-only audit log that chains them. SQLite today; every
/// implementation must pass the same contract tests. Every save appends its audit link in the
/// same transaction, so nothing is stored unlogged.
/// </summary>
public interface IRunStore : IAsyncDisposable
{
    /// <summary>
    /// Saves a finished run in one transaction: all of it or nothing. Returns it as stored. A
    /// provisional row of the same id with status "running" (an MLflow-logged run) is replaced,
    /// its params, tags and metrics with it; any other existing id is refused.
    /// </summary>
    Task<StoredRun> SaveAsync(RunManifest manifest, CancellationToken cancellationToken);

    Task<StoredRun?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Runs newest first.</summary>
    Task<IReadOnlyList<RunSummary>> ListAsync(RunQuery query, CancellationToken cancellationToken);

    /// <summary>Ids that start with <paramref name="prefix"/> (at most <paramref name="limit"/>).</summary>
    Task<IReadOnlyList<string>> FindByPrefixAsync(string prefix, int limit, CancellationToken cancellationToken);

    /// <summary>Saves a verification report (its <see cref="VerificationReport.Id"/> is its key) and logs it as a "verdict".</summary>
    Task<StoredVerification> SaveVerificationAsync(VerificationReport report, CancellationToken cancellationToken);

    Task<StoredVerification?> GetVerificationAsync(string id, CancellationToken cancellationToken);

    /// <summary>Verification reports newest first, of one run or (null) of all; at most <paramref name="limit"/> (0 = all).</summary>
    Task<IReadOnlyList<StoredVerification>> ListVerificationsAsync(string? runId, int limit, CancellationToken cancellationToken);

    /// <summary>Appends a link for something kept outside the store (a report file, a bundle).</summary>
    Task<AuditEntry> AppendAuditAsync(string kind, string subject, string digest, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The whole audit log in sequence order.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(CancellationToken cancellationToken);
}
