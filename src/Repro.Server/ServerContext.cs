using Repro.Blobs.Storage;
using Repro.Interop.Tracking;
using Repro.Model.Workspaces;
using Repro.Ports;

namespace Repro.Server;

/// <summary>What every endpoint reads and writes: the workspace, its run store (shared safely between requests) and its cache.</summary>
public sealed class ServerContext
{
    public required Workspace Workspace { get; init; }

    /// <summary>Safe to call from concurrent requests.</summary>
    public required IRunStore Runs { get; init; }

    /// <summary>The store's modules: the runs page searches through it (filter, sort, page, count in the store), the models and audit pages read it; without it the page lists the newest runs only.</summary>
    public IStoreDatabase? Database { get; init; }

    public required ContentCache Cache { get; init; }

    /// <summary>Experiments and live runs for the MLflow API; without it the API answers 503.</summary>
    public ITrackingStore? Tracking { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Up to this many audit links every visit to /audit checks the whole chain; beyond it the page checks when asked (?verify=1).</summary>
    public long AuditAutoVerifyLimit { get; init; } = 10_000;
}
