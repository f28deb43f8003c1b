namespace Repro.Cli.Commands;

/// <summary>The study <c>repro study</c> shows, and whether to wait for its Slurm tasks.</summary>
public sealed record StudySettings : ICommandSettings
{
    /// <summary>A study id, prefix, name or @last.</summary>
    public required string Run { get; init; }

    public bool Json { get; init; }

    public bool Wait { get; init; }

    public ValidationResult Validate() => ValidationResult.Success;
}
