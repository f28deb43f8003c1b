namespace Repro.Platform.Statistics;

/// <summary>
/// The percentile bootstrap of a mean: resample with replacement, take each resample's mean, read the
/// 2.5% and 97.5% type-7 quantiles. Driven by <see cref="Xoshiro256StarStar"/> so a given seed gives
/// the same interval on every runtime.
/// </summary>
internal static class PercentileBootstrap
{
    /// <summary>
    /// Resamples the ascending <paramref name="sorted"/> values, so the interval depends on the set of
    /// runs and not on the order a store listed them in; the ends are clamped to [min, max] against
    /// rounding in the resample means.
    /// </summary>
    public static Interval OfMean(ReadOnlySpan<double> sorted, int resamples, ulong seed)
    {
        var n = sorted.Length;
        var rng = Xoshiro256StarStar.FromSeed(seed);
        var means = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            var sum = 0.0;
            for (var i = 0; i < n; i++)
            {
                sum += sorted[rng.NextInt(n)];
            }

            means[r] = sum / n;
        }

        Array.Sort(means);
        var min = sorted[0];
        var max = sorted[^1];
        return new Interval(
            Math.Clamp(Descriptive.QuantileOfSorted(means, 0.025), min, max),
            Math.Clamp(Descriptive.QuantileOfSorted(means, 0.975), min, max));
    }
}
