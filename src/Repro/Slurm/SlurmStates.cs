namespace Repro.Slurm;

/// <summary>Slurm's job states, sorted into still going and ended.</summary>
public static class SlurmStates
{
    private static readonly HashSet<string> EndedStates = new(StringComparer.Ordinal)
    {
        "COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "PREEMPTED", "BOOT_FAIL", "DEADLINE", "SPECIAL_EXIT", "REVOKED",
    };

    /// <summary>The job's record was purged (MinJobAge passed) before repro saw it end.</summary>
    public const string Forgotten = "UNKNOWN";

    public static bool IsEnded(string state) => EndedStates.Contains(state) || state == Forgotten;
}
