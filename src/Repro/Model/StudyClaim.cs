using Repro.Platform.Statistics;

namespace Repro.Model;

/// <summary>A claimed metric value (<c>--claim KEY=VALUE</c>) placed in the study's seed distribution.</summary>
public sealed record StudyClaim
{
    public required string Key { get; init; }

    public required bool HigherIsBetter { get; init; }

    public required ClaimPlacement Placement { get; init; }
}
