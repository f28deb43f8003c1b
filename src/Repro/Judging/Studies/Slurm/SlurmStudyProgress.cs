namespace Repro.Judging.Studies.Slurm;

/// <summary>Where a Slurm study stands after one poll, for a progress bar.</summary>
public sealed record SlurmStudyProgress
{
    public required int Seeds { get; init; }

    /// <summary>Seeds settled for good: recorded, or out of attempts.</summary>
    public required int Done { get; init; }

    /// <summary>Of <see cref="Done"/>, those without a successful run.</summary>
    public required int Failed { get; init; }

    public required int Running { get; init; }

    public required int Pending { get; init; }

    /// <summary>Seeds submitted again after a failed attempt, so far.</summary>
    public required int Resubmitted { get; init; }

    /// <summary>The job ids of every batch submitted so far.</summary>
    public required IReadOnlyList<string> Jobs { get; init; }

    /// <summary>Attempts that ended since the last report, with their Slurm state.</summary>
    public required IReadOnlyList<SlurmSeedTask> Ended { get; init; }

    /// <summary>Set when Slurm did not answer this poll (the waiter keeps trying).</summary>
    public string? Problem { get; init; }
}
