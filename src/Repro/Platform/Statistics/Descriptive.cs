namespace Repro.Platform.Statistics;

/// <summary>
/// Summaries of one metric over several seed runs. Everything is deterministic, the bootstrap
/// included (a fixed, documented seed and our own generator), so the same runs give the same report.
/// </summary>
public static class Descriptive
{
    public const int DefaultResamples = 10_000;

    /// <summary>The bootstrap seed used unless a caller asks for another: fixed, so a report reproduces.</summary>
    public const ulong BootstrapSeed = 20_250_101;

    public const string OneRunNote = "no spread: one run";

    public const string ZeroVarianceNote = "zero variance: every value is the same";

    public const string FewSeedsNote = "too few seeds for a confidence interval worth reading";

    /// <summary>
    /// Summarises <paramref name="values"/> (any order). Throws <see cref="ArgumentException"/> for no
    /// values or a NaN or infinite value; everything else, a single run included, is an answer.
    /// </summary>
    public static SampleSummary Summarise(IReadOnlyList<double> values, int resamples = DefaultResamples, ulong seed = BootstrapSeed)
    {
        var sorted = SampleMoments.Checked(values, nameof(values));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(resamples);
        Array.Sort(sorted);
        var n = sorted.Length;
        var mean = SampleMoments.Mean(sorted);
        var median = QuantileOfSorted(sorted, 0.5);
        var notes = new List<string>();
        if (n == 1)
        {
            notes.Add(OneRunNote);
            notes.Add(FewSeedsNote);
            return new SampleSummary { N = 1, Mean = mean, Median = median, Min = sorted[0], Max = sorted[0], Notes = notes };
        }

        var min = sorted[0];
        var max = sorted[^1];
        var stdDev = Math.Sqrt(SampleMoments.SumOfSquares(sorted, mean) / (n - 1));
        var stdError = stdDev / Math.Sqrt(n);
        Interval tInterval;
        Interval bootstrap;
        if (min == max)
        {
            notes.Add(ZeroVarianceNote);
            tInterval = new Interval(mean, mean);
            bootstrap = new Interval(mean, mean);
        }
        else
        {
            var half = StudentTCritical.Upper975(n - 1) * stdError;
            tInterval = new Interval(mean - half, mean + half);
            bootstrap = PercentileBootstrap.OfMean(sorted, resamples, seed);
        }

        if (n < 5)
        {
            notes.Add(FewSeedsNote);
        }

        return new SampleSummary
        {
            N = n,
            Mean = mean,
            StdDev = stdDev,
            StdError = stdError,
            TInterval = tInterval,
            BootstrapInterval = bootstrap,
            Median = median,
            Min = min,
            Max = max,
            CoefficientOfVariation = mean == 0 ? null : stdDev / Math.Abs(mean),
            Notes = notes,
        };
    }

    /// <summary>
    /// The <paramref name="p"/>-quantile (0 ≤ p ≤ 1) by linear interpolation between order statistics
    /// (Hyndman–Fan type 7), the default of numpy.percentile and numpy.quantile, so numbers match what
    /// users get in Python: Quantile(v, 0.95) == numpy.percentile(v, 95).
    /// </summary>
    public static double Quantile(IReadOnlyList<double> values, double p)
    {
        var sorted = SampleMoments.Checked(values, nameof(values));
        Array.Sort(sorted);
        return QuantileOfSorted(sorted, p);
    }

    /// <summary>Type-7 quantile of ascending values, with numpy's arithmetic (including its two-sided lerp) so results agree to the last bit.</summary>
    internal static double QuantileOfSorted(ReadOnlySpan<double> sorted, double p)
    {
        if (!(p is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "a quantile is between 0 and 1");
        }

        var index = (sorted.Length - 1) * p;
        if (index >= sorted.Length - 1)
        {
            return sorted[^1];
        }

        var previous = Math.Floor(index);
        var i = (int)previous;
        var gamma = index - previous;
        var a = sorted[i];
        var b = sorted[i + 1];
        var diff = b - a;
        return gamma >= 0.5 ? b - (diff * (1 - gamma)) : a + (diff * gamma);
    }
}
