namespace Repro.Interop.Tracking;

/// <summary>What <c>repro import mlruns</c> did: runs new and already here, experiments created, and the runs it skipped and why.</summary>
public sealed record MlrunsImportResult
{
    public required IReadOnlyList<string> Imported { get; init; }

    public required IReadOnlyList<string> AlreadyHere { get; init; }

    public required IReadOnlyList<string> ExperimentsCreated { get; init; }

    /// <summary>Folder (relative to the mlruns folder) and why it was skipped.</summary>
    public required IReadOnlyList<(string Path, string Reason)> Skipped { get; init; }

    public long MetricPoints { get; init; }
}
