using Repro.Execution;
using Repro.Recording;

namespace Repro.Cli.Commands;

/// <summary>
/// What <c>repro seeds</c> runs once per seed (a recorded run, or a command after "--" with its
/// recording options), which seeds, how many at once, where, and the claims to place.
/// </summary>
public sealed record SeedsCommandSettings : ICommandSettings
{
    /// <summary>A recorded run to re-run; null when a command is given.</summary>
    public string? Run { get; init; }

    /// <summary>The command after "--", as a request to record; null when none was given.</summary>
    public RunRequest? Command { get; init; }

    /// <summary>Recording options given (other than --name): they only make sense with a command.</summary>
    public IReadOnlyList<string> RecordingOptionsGiven { get; init; } = [];

    public int? Count { get; init; }

    public string? Seeds { get; init; }

    public long? SeedStart { get; init; }

    public int Jobs { get; init; } = 1;

    /// <summary>Whether -j was given (on Slurm it then caps the tasks running at once).</summary>
    public bool JobsGiven { get; init; }

    public string? Name { get; init; }

    public IReadOnlyList<string> Claims { get; init; } = [];

    public bool HigherIsBetter { get; init; }

    public bool LowerIsBetter { get; init; }

    public bool Json { get; init; }

    public required ExecutorOptions Executor { get; init; }

    /// <summary>The seeds to run (valid settings only).</summary>
    public IReadOnlyList<long> SeedValues => Repro.Judging.Studies.SeedList.Build(Count, Seeds, SeedStart);

    public ValidationResult Validate()
    {
        if (Run is null && Command is null)
        {
            return ValidationResult.Error("give a recorded run (repro seeds RUN -n N) or a command (repro seeds -n N -- COMMAND)");
        }

        if (Run is not null && Command is not null)
        {
            return ValidationResult.Error("give a recorded run or a command after --, not both");
        }

        if (HigherIsBetter && LowerIsBetter)
        {
            return ValidationResult.Error("--higher-is-better and --lower-is-better contradict each other");
        }

        try
        {
            _ = SeedValues;
        }
        catch (ReproException ex)
        {
            return ValidationResult.Error(ex.Message);
        }

        return ExecutorFlags.Validate(Executor);
    }
}
