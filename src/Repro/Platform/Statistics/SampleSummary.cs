namespace Repro.Platform.Statistics;

/// <summary>
/// What a set of seed runs says about one metric: centre, spread and how far to trust the mean.
/// Members that need spread are null for a single run, so a report cannot print a made-up interval.
/// </summary>
public sealed record SampleSummary
{
    public required int N { get; init; }

    public required double Mean { get; init; }

    /// <summary>Sample standard deviation (n − 1 in the denominator); null when N &lt; 2.</summary>
    public double? StdDev { get; init; }

    /// <summary>StdDev / √N; null when N &lt; 2.</summary>
    public double? StdError { get; init; }

    /// <summary>Mean ± t(0.975, N − 1)·SE; null when N &lt; 2, [mean, mean] when every value is the same.</summary>
    public Interval? TInterval { get; init; }

    /// <summary>95% percentile bootstrap of the mean, from a fixed seed so the report itself reproduces; null when N &lt; 2.</summary>
    public Interval? BootstrapInterval { get; init; }

    public required double Median { get; init; }

    public required double Min { get; init; }

    public required double Max { get; init; }

    /// <summary>StdDev / |Mean|; null when N &lt; 2 or the mean is 0.</summary>
    public double? CoefficientOfVariation { get; init; }

    /// <summary>Plain-language caveats a reader should see beside the numbers.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
