namespace Repro.Execution;

/// <summary>Slurm's job states, sorted into still going and ended.</summary>
public static class SlurmStates
{
    private static readonly HashSet<string> EndedStates = new(StringComparer.Ordinal)
    {
        "COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "PREEMPTED", "BOOT_FAIL", "DEADLINE", "SPECIAL_EXIT", "REVOKED",
    };

    /// <summary>
    /// States in which Slurm stopped the task itself (scancel, its time limit, a node lost, preemption): what the
    /// task recorded is an interrupted attempt, not the seed's result, even when the signal reached the command
    /// before it reached repro and the run looks like an ordinary failure.
    /// </summary>
    private static readonly HashSet<string> StoppedStates = new(StringComparer.Ordinal)
    {
        "CANCELLED", "TIMEOUT", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE", "REVOKED",
    };

    /// <summary>The job's record was purged (MinJobAge passed) before repro saw it end.</summary>
    public const string Forgotten = "UNKNOWN";

    public static bool IsEnded(string state) => EndedStates.Contains(state) || state == Forgotten;

    /// <summary>Slurm stopped the task (see <see cref="StoppedStates"/>); "CANCELLED by 1234" counts as CANCELLED.</summary>
    public static bool IsStoppedBySlurm(string? state) =>
        state is not null && StoppedStates.Contains(state.Split(' ', 2)[0]);
}
