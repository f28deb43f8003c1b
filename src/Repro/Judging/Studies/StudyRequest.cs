using Repro.Blobs.Storage;
using Repro.Execution;
using Repro.Recording;

namespace Repro.Judging.Studies;

/// <summary>What <c>repro seeds</c> was asked for: what to run, with which seeds, how many at once.</summary>
public sealed record StudyRequest
{
    /// <summary>A command to run once per seed in the current folder (its Seed is replaced). Set this or <see cref="Source"/>.</summary>
    public RunRequest? Command { get; init; }

    /// <summary>A recorded run to re-run once per seed, each in a scratch checkout of its code and data.</summary>
    public StoredRun? Source { get; init; }

    public required IReadOnlyList<long> Seeds { get; init; }

    /// <summary>Children run at once on this machine (timings and thread contention change with it).</summary>
    public int Parallelism { get; init; } = 1;

    /// <summary>The study's name; defaults to the source run's name.</summary>
    public string? Name { get; init; }

    /// <summary>Claimed values, KEY=VALUE, to place in the seed distribution.</summary>
    public IReadOnlyList<string> Claims { get; init; } = [];

    /// <summary>Direction for every claim; null guesses it from the metric's name.</summary>
    public bool? HigherIsBetter { get; init; }

    /// <summary>The environment the children inherit (for re-runs of a recorded run).</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>Where each seed runs (<c>--executor</c>); every child gets its own executor instance.</summary>
    public ExecutorOptions Executor { get; init; } = ExecutorOptions.Local;
}
