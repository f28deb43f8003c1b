namespace Repro.Interop.Dvc;

/// <summary>How a path DVC tracks compares with the workspace.</summary>
public enum DvcEntryState
{
    Unchanged,
    Modified,
    Deleted,
}
