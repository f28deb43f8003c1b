using Repro.Blobs.Storage;
using Repro.Blobs.Storage.Sql;
using Repro.Interop.Tracking;
using Repro.Model.Workspaces;

namespace Repro.Server;

/// <summary>What every endpoint reads and writes: the workspace, its run store (shared safely between requests) and its cache.</summary>
public sealed class ServerContext
{
    public required Workspace Workspace { get; init; }

    /// <summary>Safe to call from concurrent requests.</summary>
    public required IRunStore Runs { get; init; }

    /// <summary>The store's database, which the runs page searches (filter, sort, page, count in SQL); without it the page lists the newest runs only.</summary>
    public SqlDatabase? Database { get; init; }

    public required ContentCache Cache { get; init; }

    /// <summary>Experiments and live runs for the MLflow API; without it the API answers 503.</summary>
    public TrackingStore? Tracking { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Up to this many audit links every visit to /audit checks the whole chain; beyond it the page checks when asked (?verify=1).</summary>
    public long AuditAutoVerifyLimit { get; init; } = 10_000;
}
