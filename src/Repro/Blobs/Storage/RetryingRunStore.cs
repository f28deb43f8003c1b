using System.Data.Common;
using Repro.Model;
using Repro.Model.Verdicts;

namespace Repro.Blobs.Storage;

/// <summary>
/// For writers far from the store (a Slurm task on a node): a store that is briefly unreachable
/// (a PostgreSQL restart, a SQLite file locked past its busy timeout) is retried with doubling
/// waits instead of losing a finished run. A save whose outcome was unclear is checked by id
/// before it is tried again, so a retried write can never store a run twice. Disposing does not
/// dispose the inner store.
/// </summary>
public sealed class RetryingRunStore(IRunStore inner, TimeProvider time, IProgress<string>? retrying = null) : IRunStore
{
    private static readonly TimeSpan FirstWait = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(15);

    /// <summary>How long to keep trying in all before giving up (default 10 minutes).</summary>
    public TimeSpan Patience { get; init; } = TimeSpan.FromMinutes(10);

    public Task<StoredRun> SaveAsync(RunManifest manifest, CancellationToken cancellationToken) =>
        RetryAsync(
            "save run " + manifest.Id[..8],
            () => inner.SaveAsync(manifest, cancellationToken),
            async () => await inner.GetAsync(manifest.Id, cancellationToken),
            cancellationToken);

    public Task<StoredRun?> GetAsync(string id, CancellationToken cancellationToken) => RetryAsync("read run " + id[..Math.Min(8, id.Length)], () => inner.GetAsync(id, cancellationToken), null, cancellationToken);

    public Task<IReadOnlyList<RunSummary>> ListAsync(RunQuery query, CancellationToken cancellationToken) => RetryAsync("list runs", () => inner.ListAsync(query, cancellationToken), null, cancellationToken);

    public Task<IReadOnlyList<string>> FindByPrefixAsync(string prefix, int limit, CancellationToken cancellationToken) => RetryAsync("find runs", () => inner.FindByPrefixAsync(prefix, limit, cancellationToken), null, cancellationToken);

    public Task<StoredVerification> SaveVerificationAsync(VerificationReport report, CancellationToken cancellationToken) =>
        RetryAsync("save verification", () => inner.SaveVerificationAsync(report, cancellationToken), async () => await inner.GetVerificationAsync(report.Id, cancellationToken), cancellationToken);

    public Task<StoredVerification?> GetVerificationAsync(string id, CancellationToken cancellationToken) => RetryAsync("read verification", () => inner.GetVerificationAsync(id, cancellationToken), null, cancellationToken);

    public Task<IReadOnlyList<StoredVerification>> ListVerificationsAsync(string? runId, int limit, CancellationToken cancellationToken) => RetryAsync("list verifications", () => inner.ListVerificationsAsync(runId, limit, cancellationToken), null, cancellationToken);

    // Not retried: an append whose outcome was unclear cannot be told from one that never happened.
    public Task<AuditEntry> AppendAuditAsync(string kind, string subject, string digest, DateTimeOffset at, CancellationToken cancellationToken) => inner.AppendAuditAsync(kind, subject, digest, at, cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(CancellationToken cancellationToken) => RetryAsync("read the audit log", () => inner.ReadAuditAsync(cancellationToken), null, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// Runs <paramref name="call"/> until it succeeds or patience runs out. After a failure,
    /// <paramref name="alreadyDone"/> (when given) is asked first whether the write landed anyway.
    /// </summary>
    public Task<T> RetryAsync<T>(string what, Func<Task<T>> call, Func<Task<T?>>? alreadyDone, CancellationToken cancellationToken)
        where T : class? => Retry(time, Patience, retrying, what, call, alreadyDone, cancellationToken);

    /// <summary>The retry loop itself, for callers that are not a run store (the Slurm study tables).</summary>
    public static async Task<T> Retry<T>(TimeProvider time, TimeSpan patience, IProgress<string>? retrying, string what, Func<Task<T>> call, Func<Task<T?>>? alreadyDone, CancellationToken cancellationToken)
        where T : class?
    {
        var started = time.GetTimestamp();
        var wait = FirstWait;
        var failed = false;
        while (true)
        {
            try
            {
                if (failed && alreadyDone is not null && await alreadyDone() is { } done)
                {
                    return done;
                }

                return await call();
            }
            catch (Exception ex) when (IsTransient(ex) && time.GetElapsedTime(started) < patience)
            {
                failed = true;
                retrying?.Report($"{what}: {ex.Message.Split('\n')[0]}; trying again in {wait.TotalSeconds:0.##} s");
                await Task.Delay(wait, time, cancellationToken);
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, LongestWait.Ticks));
            }
        }
    }

    /// <summary>A database error, a connection refused, a file locked: worth another try; a bug is not.</summary>
    public static bool IsTransient(Exception ex) => ex is DbException or TimeoutException or IOException or System.Net.Sockets.SocketException
        || (ex is ReproException { Code: ExitCode.CannotExecute } && ex.InnerException is not null)
        || (ex.InnerException is { } inner && IsTransient(inner));
}
