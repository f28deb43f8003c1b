using Repro.Blobs.Storage;

namespace Repro.Ports;

/// <summary>A workspace's store, open: the runs, and the database the other modules open their parts in. The caller disposes both, runs first.</summary>
public sealed record OpenedStore
{
    public required IRunStore Runs { get; init; }

    public required IStoreDatabase Database { get; init; }
}
