using Repro.Runs;
using Repro.Storage;
using Repro.Tracking;

namespace Repro.Cli;

/// <summary>
/// Where <c>repro run</c> meets the MLflow API: while a <c>repro ui</c> serves the workspace, the
/// command gets <c>MLFLOW_TRACKING_URI</c> (the server) and <c>MLFLOW_RUN_ID</c> (this repro
/// run's id, created beforehand as a live run), so an MLflow-instrumented script logs onto the
/// very run repro records; what it logged is folded into the record when the command ends.
/// Variables the user set are left alone.
/// </summary>
public sealed class MlflowRunLink : IDisposable
{
    private readonly TrackingStore _store;

    private MlflowRunLink(TrackingStore store, string runId, RunRequest request)
    {
        _store = store;
        RunId = runId;
        Request = request;
    }

    public string RunId { get; }

    /// <summary>The request with the run id and the MLflow variables set.</summary>
    public RunRequest Request { get; }

    /// <summary>The link, or null when no server runs or the user set the variables; <paramref name="warn"/> says why a script may fail to log.</summary>
    public static async Task<MlflowRunLink?> PrepareAsync(WorkspaceSession session, RunRequest request, Action<string> warn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(warn);
        var environment = request.Environment;
        if (environment.ContainsKey("MLFLOW_TRACKING_URI") || environment.ContainsKey("MLFLOW_RUN_ID"))
        {
            return null;
        }

        if (TrackingServerFile.ReadLive(session.Workspace) is not { } server)
        {
            return null;
        }

        if (server.TokenRequired && !environment.ContainsKey("MLFLOW_TRACKING_TOKEN"))
        {
            warn($"the repro ui at {server.Url} asks for a token: set MLFLOW_TRACKING_TOKEN for the command's MLflow calls to be accepted");
        }

        var database = await session.OpenDatabaseAsync(cancellationToken);
        var store = await TrackingStore.OpenAsync(database, session.Store, TimeProvider.System, TrackingStore.ArtifactRootFor(session.Workspace.ReproDirectory), cancellationToken);
        try
        {
            var id = Runs.RunId.New();
            await store.CreateLinkedRunAsync(
                id,
                environment.GetValueOrDefault("MLFLOW_EXPERIMENT_NAME"),
                environment.GetValueOrDefault("MLFLOW_EXPERIMENT_ID"),
                request.Name,
                Environment.UserName,
                RunOwner.Current,
                cancellationToken);
            var variables = new Dictionary<string, string>(environment.ToDictionary(), StringComparer.Ordinal)
            {
                ["MLFLOW_TRACKING_URI"] = server.Url.TrimEnd('/'),
                ["MLFLOW_RUN_ID"] = id,
            };
            return new MlflowRunLink(store, id, request with { Id = id, Environment = variables });
        }
        catch (TrackingException ex)
        {
            store.Dispose();
            throw ReproException.Usage($"cannot link the run to the repro ui's MLflow API: {ex.Message}");
        }
    }

    public Task<Domain.RunManifest> CompleteAsync(Domain.RunManifest manifest, CancellationToken cancellationToken) => _store.CompleteLinkedAsync(manifest, cancellationToken);

    /// <summary>
    /// When repro fails before recording the run: what the script logged is sealed as a FAILED
    /// (KILLED when <paramref name="cancelled"/>) run, never left live; a run nothing was logged
    /// onto (its command could not start) is removed.
    /// </summary>
    public Task AbandonAsync(bool cancelled, string reason) =>
        _store.AbandonLinkedAsync(RunId, cancelled ? MlflowStatus.Killed : MlflowStatus.Failed, $"repro run failed before recording this run ({reason}): what the script logged is kept, code, data and environment were not recorded", CancellationToken.None);

    public void Dispose() => _store.Dispose();
}
