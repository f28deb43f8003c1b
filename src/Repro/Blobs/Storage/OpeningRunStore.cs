using Repro.Model;
using Repro.Model.Verdicts;

namespace Repro.Blobs.Storage;

/// <summary>
/// A store still being opened on another thread, so a command can prepare meanwhile: every call
/// waits for the open first (and throws why it failed, if it did). Disposing does not dispose
/// the store it wraps; whoever opened it does.
/// </summary>
public sealed class OpeningRunStore(Task<IRunStore> opening) : IRunStore
{
    /// <summary>Waits until the store is open, or throws why it cannot be: for a caller about to do what it cannot take back.</summary>
    public async Task WhenOpenAsync(CancellationToken cancellationToken) => await opening.WaitAsync(cancellationToken);

    public async Task<StoredRun> SaveAsync(RunManifest manifest, CancellationToken cancellationToken) => await (await opening).SaveAsync(manifest, cancellationToken);

    public async Task<StoredRun?> GetAsync(string id, CancellationToken cancellationToken) => await (await opening).GetAsync(id, cancellationToken);

    public async Task<IReadOnlyList<RunSummary>> ListAsync(RunQuery query, CancellationToken cancellationToken) => await (await opening).ListAsync(query, cancellationToken);

    public async Task<IReadOnlyList<string>> FindByPrefixAsync(string prefix, int limit, CancellationToken cancellationToken) => await (await opening).FindByPrefixAsync(prefix, limit, cancellationToken);

    public async Task<StoredVerification> SaveVerificationAsync(VerificationReport report, CancellationToken cancellationToken) => await (await opening).SaveVerificationAsync(report, cancellationToken);

    public async Task<StoredVerification?> GetVerificationAsync(string id, CancellationToken cancellationToken) => await (await opening).GetVerificationAsync(id, cancellationToken);

    public async Task<IReadOnlyList<StoredVerification>> ListVerificationsAsync(string? runId, int limit, CancellationToken cancellationToken) => await (await opening).ListVerificationsAsync(runId, limit, cancellationToken);

    public async Task<AuditEntry> AppendAuditAsync(string kind, string subject, string digest, DateTimeOffset at, CancellationToken cancellationToken) => await (await opening).AppendAuditAsync(kind, subject, digest, at, cancellationToken);

    public async Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(CancellationToken cancellationToken) => await (await opening).ReadAuditAsync(cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
