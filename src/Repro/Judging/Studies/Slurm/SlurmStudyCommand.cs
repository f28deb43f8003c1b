using Repro.Recording;

namespace Repro.Judging.Studies.Slurm;

/// <summary>
/// The command of a study given as <c>repro seeds -n N --executor slurm -- COMMAND</c>, as kept in
/// the store: every array task records it with its seed, in place in the workspace (which the
/// nodes share), exactly as <c>repro seeds -- COMMAND</c> does locally.
/// </summary>
public sealed record SlurmStudyCommand
{
    public string? Name { get; init; }

    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>The absolute folder the command runs in; the recording options' paths are relative to it.</summary>
    public required string WorkingDirectory { get; init; }

    public IReadOnlyList<string> Deps { get; init; } = [];

    public IReadOnlyList<string> Outs { get; init; } = [];

    public IReadOnlyList<string> MetricsFiles { get; init; } = [];

    public IReadOnlyList<string> Params { get; init; } = [];

    public IReadOnlyList<string> ParamsFiles { get; init; } = [];

    public IReadOnlyList<string> Tags { get; init; } = [];

    public bool Deterministic { get; init; }

    public string? Python { get; init; }

    public static SlurmStudyCommand From(RunRequest request) => new()
    {
        Name = request.Name,
        Command = request.Command,
        WorkingDirectory = request.WorkingDirectory,
        Deps = request.Deps,
        Outs = request.Outs,
        MetricsFiles = request.MetricsFiles,
        Params = request.Params,
        ParamsFiles = request.ParamsFiles,
        Tags = request.Tags,
        Deterministic = request.Deterministic,
        Python = request.Python,
    };

    /// <summary>The run request one seed's task records (on its node, with the local executor: the task already runs there).</summary>
    public RunRequest ToRequest(IReadOnlyDictionary<string, string> environment) => new()
    {
        Name = Name,
        Command = Command,
        WorkingDirectory = WorkingDirectory,
        Deps = Deps,
        Outs = Outs,
        MetricsFiles = MetricsFiles,
        Params = Params,
        ParamsFiles = ParamsFiles,
        Tags = Tags,
        Deterministic = Deterministic,
        Python = Python,
        Environment = environment,
    };
}
