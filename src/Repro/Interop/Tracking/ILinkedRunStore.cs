using Repro.Model;

namespace Repro.Interop.Tracking;

/// <summary>
/// Runs that <c>repro run</c> records while an MLflow-instrumented script logs onto them: created
/// live beforehand, then completed with what was logged, discarded, or abandoned when their
/// owner died.
/// </summary>
public interface ILinkedRunStore
{
    Task<MlflowRun> CreateLinkedRunAsync(string runId, string? experimentName, string? experimentId, string? runName, string? userId, RunOwner owner, CancellationToken cancellationToken);

    Task<RunManifest> CompleteLinkedAsync(RunManifest manifest, CancellationToken cancellationToken);

    Task DiscardLinkedAsync(string runId, CancellationToken cancellationToken);

    Task AbandonLinkedAsync(string runId, string status, string reason, CancellationToken cancellationToken);

    /// <summary>Ends the live runs on <paramref name="host"/> whose owning process is gone.</summary>
    Task<IReadOnlyList<(string RunId, RunOwner Owner)>> EndOrphanedRunsAsync(string host, Func<int, bool> isAlive, CancellationToken cancellationToken);
}
