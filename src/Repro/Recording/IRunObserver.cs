using Repro.Model;

namespace Repro.Recording;

/// <summary>
/// A capture step the recorder owns beside its own: it may adjust the plan before anything runs,
/// add to the manifest before it is sealed, and learns when recording failed so it can clean up.
/// The MLflow run link is one. Steps run in the order given.
/// </summary>
public interface IRunObserver
{
    /// <summary>Before the command starts: the plan it is to run (a new id, added variables).</summary>
    Task<RunPlan> PlanningAsync(RunPlan plan, CancellationToken cancellationToken);

    /// <summary>The manifest just before it is saved: what this step adds to the record.</summary>
    Task<RunManifest> SealingAsync(RunManifest manifest, CancellationToken cancellationToken);

    /// <summary>Recording failed before the run was saved (<paramref name="cancelled"/> when interrupted).</summary>
    Task AbandonedAsync(RunPlan plan, bool cancelled, string reason);
}
