using Repro.Execution;

namespace Repro.Recording;

/// <summary>How to re-run a recorded run: where, with which seed, and what the new run is to the old one.</summary>
public sealed record ReplayRequest
{
    /// <summary>Run in the current working tree instead of a scratch checkout of the recorded code and data.</summary>
    public bool InPlace { get; init; }

    /// <summary>Replaces the recorded seed (a seed study); null keeps the recorded one.</summary>
    public long? Seed { get; init; }

    public bool OverrideSeed { get; init; }

    /// <summary>The new run's kind ("verification", "run").</summary>
    public required string Kind { get; init; }

    /// <summary>The new run's parent: the run verified, or the study a seed run belongs to.</summary>
    public required string ParentId { get; init; }

    /// <summary>The new run's id (a Slurm task's, derived from study, seed and attempt); null draws a random one.</summary>
    public string? RunId { get; init; }

    /// <summary>Tags added to the recorded ones, replacing a recorded tag of the same key.</summary>
    public IReadOnlyDictionary<string, string> ExtraTags { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Where the re-run runs: by default locally, whatever the original recorded. Already resolved
    /// for the run replayed (<see cref="ExecutorOptions.ForReplayOf"/>) by whoever builds the request.
    /// </summary>
    public ExecutorOptions Executor { get; init; } = ExecutorOptions.Local;
}
