namespace Repro.Checks.Checklist;

/// <summary>How far the recorded evidence meets one checklist item.</summary>
public enum CheckStatus
{
    Yes,
    Partial,
    No,
}
