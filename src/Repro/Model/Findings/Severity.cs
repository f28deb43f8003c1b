namespace Repro.Model.Findings;

/// <summary>How much a finding matters; warning and above make a check command exit 1.</summary>
public enum Severity
{
    Note = 0,
    Warning = 1,
    Error = 2,
}
