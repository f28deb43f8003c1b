namespace Repro.Cli.Commands;

/// <summary>What a Slurm array task asks <c>repro slurm-task</c> for: one seed of a study, or the node's environment written to a file.</summary>
public sealed record SlurmTaskSettings : ICommandSettings
{
    public string? Study { get; init; }

    public int Batch { get; init; }

    /// <summary>The array index; null takes SLURM_ARRAY_TASK_ID.</summary>
    public int? TaskIndex { get; init; }

    /// <summary>Write the node's environment pillar to this file instead of running a seed.</summary>
    public string? Probe { get; init; }

    /// <summary>With <see cref="Probe"/>: the interpreter to probe as well.</summary>
    public string? ProbePython { get; init; }

    public ValidationResult Validate() => ValidationResult.Success;
}
