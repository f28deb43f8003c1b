namespace Repro.Interop.Tracking;

/// <summary>MLflow runs as the API sees them: created, read, updated, deleted and imported one at a time.</summary>
public interface ITrackedRunStore
{
    Task<MlflowRun> CreateRunAsync(NewRun run, CancellationToken cancellationToken);

    Task<MlflowRun> GetRunAsync(string runId, CancellationToken cancellationToken);

    /// <summary>The runs with these ids, in the order given (ids with no run left out).</summary>
    Task<IReadOnlyList<MlflowRun>> LoadRunsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken);

    Task<MlflowRunInfo> UpdateRunAsync(string runId, string? status, long? endTime, string? runName, CancellationToken cancellationToken);

    Task DeleteRunAsync(string runId, CancellationToken cancellationToken);

    Task RestoreRunAsync(string runId, CancellationToken cancellationToken);

    Task<bool> HasRunAsync(string runId, CancellationToken cancellationToken);

    Task ImportRunAsync(ImportedRun imported, CancellationToken cancellationToken);
}
