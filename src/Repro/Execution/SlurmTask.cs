namespace Repro.Execution;

/// <summary>One job, or one task of a job array, as <c>scontrol show job</c> reports it.</summary>
public sealed record SlurmTask
{
    /// <summary>The array's job id (the job's own id when it is no array).</summary>
    public required string ArrayJobId { get; init; }

    /// <summary>The task's index in the array; null for a plain job.</summary>
    public int? TaskIndex { get; init; }

    /// <summary>PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, NODE_FAIL, OUT_OF_MEMORY, ...</summary>
    public required string State { get; init; }

    public int ExitCode { get; init; }

    /// <summary>The signal that ended the task (15 for scancel's SIGTERM), 0 if none.</summary>
    public int Signal { get; init; }

    public string? Node { get; init; }

    public string? Partition { get; init; }

    public string? Reason { get; init; }

    /// <summary>The task ended, one way or another: Slurm will not run it again by itself.</summary>
    public bool Ended => SlurmStates.IsEnded(State);

    /// <summary>JOB_TASK for scancel, or the job id.</summary>
    public string Target => TaskIndex is { } index ? $"{ArrayJobId}_{index.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : ArrayJobId;
}
