using Repro.Blobs.Storage.Search;
using Repro.Model;
using Repro.Model.Workspaces;
using Repro.Recording;

namespace Repro.Interop.Tracking;

/// <summary>
/// Where <c>repro run</c> meets the MLflow API, as a capture step of the recorder: while a
/// <c>repro ui</c> serves the workspace, the command gets <c>MLFLOW_TRACKING_URI</c> (the server)
/// and <c>MLFLOW_RUN_ID</c> (this repro run's id, created beforehand as a live run), so an
/// MLflow-instrumented script logs onto the very run repro records; what it logged is folded into
/// the record when the command ends. Variables the user set are left alone.
/// </summary>
public sealed class MlflowRunObserver : IRunObserver, IDisposable
{
    private readonly Workspace _workspace;
    private readonly Func<CancellationToken, Task<ITrackingStore>> _open;
    private readonly IProgress<string> _warnings;
    private ITrackingStore? _store;

    /// <param name="open">Opens the workspace's tracking store; called only when a server is live.</param>
    /// <param name="warnings">Why a script may fail to log (a token the server asks for).</param>
    public MlflowRunObserver(Workspace workspace, Func<CancellationToken, Task<ITrackingStore>> open, IProgress<string> warnings)
    {
        _workspace = workspace;
        _open = open;
        _warnings = warnings;
    }

    public async Task<RunPlan> PlanningAsync(RunPlan plan, CancellationToken cancellationToken)
    {
        var environment = plan.Environment;
        if (environment.ContainsKey("MLFLOW_TRACKING_URI") || environment.ContainsKey("MLFLOW_RUN_ID"))
        {
            return plan;
        }

        if (TrackingServerFile.ReadLive(_workspace) is not { } server)
        {
            return plan;
        }

        if (server.TokenRequired && !environment.ContainsKey("MLFLOW_TRACKING_TOKEN"))
        {
            _warnings.Report($"the repro ui at {server.Url} asks for a token: set MLFLOW_TRACKING_TOKEN for the command's MLflow calls to be accepted");
        }

        _store = await _open(cancellationToken);
        try
        {
            await _store.CreateLinkedRunAsync(
                plan.Id,
                environment.GetValueOrDefault("MLFLOW_EXPERIMENT_NAME"),
                environment.GetValueOrDefault("MLFLOW_EXPERIMENT_ID"),
                plan.Name,
                Environment.UserName,
                RunOwner.Current,
                cancellationToken);
        }
        catch (TrackingException ex)
        {
            _store.Dispose();
            _store = null;
            throw ReproException.Usage($"cannot link the run to the repro ui's MLflow API: {ex.Message}");
        }

        var variables = new Dictionary<string, string>(environment.ToDictionary(), StringComparer.Ordinal)
        {
            ["MLFLOW_TRACKING_URI"] = server.Url.TrimEnd('/'),
            ["MLFLOW_RUN_ID"] = plan.Id,
        };
        return plan with { Environment = variables };
    }

    public Task<RunManifest> SealingAsync(RunManifest manifest, CancellationToken cancellationToken) =>
        _store is null ? Task.FromResult(manifest) : _store.CompleteLinkedAsync(manifest, cancellationToken);

    /// <summary>
    /// What the script logged is sealed as a FAILED (KILLED when interrupted) run, never left
    /// live; a run nothing was logged onto (its command could not start) is removed.
    /// </summary>
    public Task AbandonedAsync(RunPlan plan, bool cancelled, string reason) => _store is null
        ? Task.CompletedTask
        : _store.AbandonLinkedAsync(plan.Id, cancelled ? MlflowStatus.Killed : MlflowStatus.Failed, $"repro run failed before recording this run ({reason}): what the script logged is kept, code, data and environment were not recorded", CancellationToken.None);

    public void Dispose() => _store?.Dispose();
}
