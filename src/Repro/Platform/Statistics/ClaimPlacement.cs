namespace Repro.Platform.Statistics;

/// <summary>
/// Where a reported number (a paper's or a README's) falls among the seeds that were actually run:
/// a claim better than nearly every seed is the signature of picking the best run.
/// </summary>
public sealed record ClaimPlacement
{
    public required double Claim { get; init; }

    public required int N { get; init; }

    /// <summary>Seeds whose value is worse than the claim, in the metric's own direction.</summary>
    public required int Worse { get; init; }

    public required int Ties { get; init; }

    public required int Better { get; init; }

    /// <summary>
    /// Share of seeds the claim beats, ties counted half, in percent: scipy.stats.percentileofscore(values,
    /// claim, kind='mean') when higher is better, 100 minus that when lower is better.
    /// </summary>
    public required double Percentile { get; init; }

    /// <summary>Better than the seeds' 95th percentile (type 7); for lower-is-better, below their 5th.</summary>
    public required bool BeyondP95 { get; init; }

    /// <summary>On the better side of the 95% t-interval of the mean; false when there is no interval.</summary>
    public required bool OutsideTInterval { get; init; }

    public required bool LikelyCherryPick { get; init; }

    /// <summary>One sentence for the report.</summary>
    public required string Message { get; init; }
}
