using Repro.Blobs.Storage;
using Repro.Blobs.Storage.Search;
using Repro.Interop.Models;
using Repro.Interop.Tracking;
using Repro.Judging.Studies.Slurm;

namespace Repro.Ports;

/// <summary>
/// A workspace's store as the modules beside the runs see it: each opens its own part (and
/// migrates its tables) only when a command needs it. The adapter decides where they live (one
/// SQLite file or PostgreSQL database, shared with the runs).
/// </summary>
public interface IStoreDatabase : IAsyncDisposable
{
    /// <summary>Safe to print: no password.</summary>
    string Display { get; }

    Task<ITrackingStore> OpenTrackingAsync(IRunStore runs, TimeProvider time, string artifactRoot, CancellationToken cancellationToken);

    Task<IModelRegistry> OpenModelRegistryAsync(IRunStore runs, TimeProvider time, CancellationToken cancellationToken);

    Task<IStudyStore> OpenStudyStoreAsync(CancellationToken cancellationToken);

    Task<IRunSearch> OpenRunSearchAsync(CancellationToken cancellationToken);

    /// <summary>The audit log read a page at a time by the database, whatever its length.</summary>
    IAuditLog AuditLog { get; }

    /// <summary>
    /// For a long-running server: most of the database's own housekeeping (copying SQLite's WAL
    /// into the file; refreshing PostgreSQL's planner statistics after a burst of writes) moves
    /// off the writers' path onto a background loop, which stops when the database is disposed.
    /// </summary>
    void StartBackgroundMaintenance();
}
