namespace Repro.Interop.Dvc;

/// <summary>Whether a DVC project's workspace matches its dvc.lock and every .dvc file.</summary>
public sealed record DvcWorkspaceStatus
{
    public required IReadOnlyList<DvcWorkspaceEntry> Entries { get; init; }

    public bool Matches => Entries.All(e => e.State == DvcEntryState.Unchanged);
}
