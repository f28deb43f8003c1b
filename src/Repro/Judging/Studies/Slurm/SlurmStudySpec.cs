using Repro.Execution;

namespace Repro.Judging.Studies.Slurm;

/// <summary>
/// A seed study submitted to Slurm, as kept in the store before any task runs: enough to
/// re-attach, retry and summarise it from another process (<c>repro study ID --wait</c>).
/// </summary>
public sealed record SlurmStudySpec
{
    public required string Id { get; init; }

    public string? Name { get; init; }

    /// <summary>The recorded run each task re-runs with its seed in a scratch checkout; null for a study of a command.</summary>
    public string? SourceRun { get; init; }

    /// <summary>The command each task records with its seed, in place; null for a study of a recorded run.</summary>
    public SlurmStudyCommand? Command { get; init; }

    public required IReadOnlyList<long> Seeds { get; init; }

    public IReadOnlyList<string> Claims { get; init; } = [];

    public bool? HigherIsBetter { get; init; }

    public required SlurmOptions Options { get; init; }

    /// <summary>The command that starts repro on a node (the repro binary, or dotnet and repro.dll).</summary>
    public required IReadOnlyList<string> Launcher { get; init; }

    public required DateTimeOffset StartedAt { get; init; }
}
