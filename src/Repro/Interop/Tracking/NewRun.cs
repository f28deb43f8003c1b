using Repro.Blobs.Storage.Search;

namespace Repro.Interop.Tracking;

/// <summary>What runs/create (or <c>repro run</c>, or an import) asks for.</summary>
public sealed record NewRun
{
    public string ExperimentId { get; init; } = TrackingDefaults.DefaultExperimentId;

    /// <summary>Null: a new 32-hex id.</summary>
    public string? RunId { get; init; }

    public string? RunName { get; init; }

    public string? UserId { get; init; }

    /// <summary>Milliseconds since the epoch; null: now.</summary>
    public long? StartTime { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>Owned by a <c>repro run</c>, which seals it when its command ends.</summary>
    public bool Linked { get; init; }

    /// <summary>The process that owns a linked run, recorded so a run whose owner died can be ended (<see cref="ILinkedRunStore.EndOrphanedRunsAsync"/>).</summary>
    public RunOwner? Owner { get; init; }

    public string Status { get; init; } = MlflowStatus.Running;
}
