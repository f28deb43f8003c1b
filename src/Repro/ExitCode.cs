namespace Repro;

/// <summary>The one table of process exit codes; the README documents the same values.</summary>
public enum ExitCode
{
    Ok = 0,
    Differs = 1,
    Usage = 2,
    CannotExecute = 3,
    Internal = 70,
    Cancelled = 130,
}
