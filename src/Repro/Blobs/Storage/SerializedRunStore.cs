using Repro.Model;
using Repro.Model.Verdicts;

namespace Repro.Blobs.Storage;

/// <summary>
/// Lets several runs recorded at once in one process share a store whose connection is not
/// thread-safe (SQLite's): every call waits its turn. Disposing does not dispose the inner store.
/// </summary>
public sealed class SerializedRunStore(IRunStore inner) : IRunStore
{
    private readonly SemaphoreSlim _turn = new(1, 1);

    public Task<StoredRun> SaveAsync(RunManifest manifest, CancellationToken cancellationToken) => OneAtATime(() => inner.SaveAsync(manifest, cancellationToken));

    public Task<StoredRun?> GetAsync(string id, CancellationToken cancellationToken) => OneAtATime(() => inner.GetAsync(id, cancellationToken));

    public Task<IReadOnlyList<RunSummary>> ListAsync(RunQuery query, CancellationToken cancellationToken) => OneAtATime(() => inner.ListAsync(query, cancellationToken));

    public Task<IReadOnlyList<string>> FindByPrefixAsync(string prefix, int limit, CancellationToken cancellationToken) => OneAtATime(() => inner.FindByPrefixAsync(prefix, limit, cancellationToken));

    public Task<StoredVerification> SaveVerificationAsync(VerificationReport report, CancellationToken cancellationToken) => OneAtATime(() => inner.SaveVerificationAsync(report, cancellationToken));

    public Task<StoredVerification?> GetVerificationAsync(string id, CancellationToken cancellationToken) => OneAtATime(() => inner.GetVerificationAsync(id, cancellationToken));

    public Task<IReadOnlyList<StoredVerification>> ListVerificationsAsync(string? runId, int limit, CancellationToken cancellationToken) => OneAtATime(() => inner.ListVerificationsAsync(runId, limit, cancellationToken));

    public Task<AuditEntry> AppendAuditAsync(string kind, string subject, string digest, DateTimeOffset at, CancellationToken cancellationToken) => OneAtATime(() => inner.AppendAuditAsync(kind, subject, digest, at, cancellationToken));

    public Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(CancellationToken cancellationToken) => OneAtATime(() => inner.ReadAuditAsync(cancellationToken));

    public ValueTask DisposeAsync()
    {
        _turn.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<T> OneAtATime<T>(Func<Task<T>> call)
    {
        await _turn.WaitAsync(CancellationToken.None);
        try
        {
            return await call();
        }
        finally
        {
            _turn.Release();
        }
    }
}
