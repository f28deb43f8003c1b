namespace Repro.Model;

/// <summary>Where a run's command ran, as the environment pillar records it.</summary>
public sealed record ExecutorInfo
{
    /// <summary>local, sandbox, container or slurm.</summary>
    public required string Name { get; init; }

    /// <summary>Executor-specific facts: sandbox tool and version; image name, id and digest; Slurm job id, node, partition.</summary>
    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>();
}
