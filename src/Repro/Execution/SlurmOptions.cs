namespace Repro.Execution;

/// <summary>What sbatch is asked for, from <c>--partition</c>, <c>--time</c>, <c>--cpus-per-task</c> and <c>--retries</c>.</summary>
public sealed record SlurmOptions
{
    /// <summary>The partition (queue); null lets Slurm pick its default.</summary>
    public string? Partition { get; init; }

    /// <summary>Time limit per task in Slurm's syntax (00:30:00, 1-00:00:00); null keeps the partition's.</summary>
    public string? Time { get; init; }

    public int? CpusPerTask { get; init; }

    /// <summary>How many times a seed whose task failed without recording a run (or was killed) is submitted again.</summary>
    public int Retries { get; init; }

    /// <summary>At most this many tasks of one array at once (sbatch's <c>%N</c>); null lets Slurm run as many as fit.</summary>
    public int? Throttle { get; init; }

    /// <summary>The Slurm part of <c>--executor slurm</c>'s options.</summary>
    public static SlurmOptions From(Execution.ExecutorOptions options) => new()
    {
        Partition = options.Partition,
        Time = options.Time,
        CpusPerTask = options.CpusPerTask,
        Retries = options.Retries ?? 0,
    };

    /// <summary>The sbatch arguments these options stand for.</summary>
    public IReadOnlyList<string> SbatchArguments()
    {
        var arguments = new List<string>();
        if (Partition is { } partition)
        {
            arguments.Add("--partition=" + partition);
        }

        if (Time is { } time)
        {
            arguments.Add("--time=" + time);
        }

        if (CpusPerTask is { } cpus)
        {
            arguments.Add("--cpus-per-task=" + cpus.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return arguments;
    }

    /// <summary>Checks what sbatch would reject later, so the user hears it before anything is submitted.</summary>
    public void Validate()
    {
        if (Retries < 0)
        {
            throw ReproException.Usage("--retries must be 0 or more");
        }

        if (CpusPerTask is < 1)
        {
            throw ReproException.Usage("--cpus-per-task must be 1 or more");
        }

        if (Time is { } time && (time.Length == 0 || !time.All(c => char.IsAsciiDigit(c) || c is ':' or '-')))
        {
            throw ReproException.Usage($"--time {time}: give a Slurm time limit such as 30, 00:30:00 or 1-00:00:00");
        }

        if (Partition is { } partition && (partition.Length == 0 || partition.Any(char.IsWhiteSpace)))
        {
            throw ReproException.Usage($"--partition '{partition}' is not a partition name");
        }
    }
}
