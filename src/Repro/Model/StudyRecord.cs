using Repro.Platform.Statistics;

namespace Repro.Model;

/// <summary>
/// What a seed study adds to its parent run: the seeds, each child's outcome and metrics, and
/// the statistics over the children that succeeded, so <c>repro study</c>, <c>repro compare</c>
/// and <c>repro verify --tolerance-from</c> need not re-read every child.
/// </summary>
public sealed record StudyRecord
{
    /// <summary>The recorded run the study re-ran once per seed; null when it ran a command given directly.</summary>
    public string? SourceRun { get; init; }

    public required IReadOnlyList<long> Seeds { get; init; }

    /// <summary>How many children ran at once on this machine.</summary>
    public int Parallelism { get; init; } = 1;

    /// <summary>"scratch" (each child in a scratch checkout of the recorded code and data) or "in-place".</summary>
    public required string Mode { get; init; }

    public required IReadOnlyList<StudyChild> Children { get; init; }

    /// <summary>Per metric, over the children that succeeded.</summary>
    public required IReadOnlyDictionary<string, SampleSummary> Statistics { get; init; }

    public IReadOnlyList<StudyClaim> Claims { get; init; } = [];

    /// <summary>How the bootstrap intervals were drawn, so anyone can recompute them.</summary>
    public required string Bootstrap { get; init; }
}
