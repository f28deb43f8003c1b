namespace Repro;

/// <summary>The one table of process exit codes; the README documents the same values.</summary>
public enum ExitCode
{
    Ok = 0,
    Differs = 1,
    Usage = 2,
    CannotExecute = 3,

    /// <summary>A verification that compared nothing (UNVERIFIED): the run declares no outputs or metrics and printed nothing.</summary>
    NothingCompared = 4,
    Internal = 70,
    Cancelled = 130,
}
