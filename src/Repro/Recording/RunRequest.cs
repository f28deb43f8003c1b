using Repro.Execution;

namespace Repro.Recording;

/// <summary>Everything <c>repro run</c> was asked to do, before anything is checked.</summary>
public sealed record RunRequest
{
    public string? Name { get; init; }

    public IReadOnlyList<string> Deps { get; init; } = [];

    public IReadOnlyList<string> Outs { get; init; } = [];

    public IReadOnlyList<string> MetricsFiles { get; init; } = [];

    /// <summary>KEY=VALUE pairs.</summary>
    public IReadOnlyList<string> Params { get; init; } = [];

    public IReadOnlyList<string> ParamsFiles { get; init; } = [];

    /// <summary>KEY=VALUE pairs.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    public long? Seed { get; init; }

    public bool Deterministic { get; init; }

    /// <summary>Interpreter to probe when the command's first word is not recognisably Python.</summary>
    public string? Python { get; init; }

    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>Absolute folder the command runs in (inside the workspace).</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>The environment the child inherits before repro adds its variables.</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    public string? ParentId { get; init; }

    /// <summary>
    /// The new run's id; null draws a random one. A Slurm task derives it from study, seed and
    /// attempt, so a task that runs twice can never store its seed twice; a run an MLflow script
    /// logs onto is created (live) beforehand with it.
    /// </summary>
    public string? Id { get; init; }

    public string Kind { get; init; } = "run";

    /// <summary>Where the command runs (<c>--executor</c>); a fresh instance per run, see <see cref="ExecutorFactory"/>.</summary>
    public IExecutor Executor { get; init; } = LocalExecutor.Instance;
}
