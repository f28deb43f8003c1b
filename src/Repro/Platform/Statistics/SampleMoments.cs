namespace Repro.Platform.Statistics;

/// <summary>
/// Input checks, mean and variance shared by the summaries and the two-sample tests. Two passes
/// (a mean, corrected once, then squared deviations from it) keep the variance accurate when the
/// values sit on a large offset such as 1e9 + noise, where the textbook Σx² − n·x̄² cancels to garbage.
/// </summary>
internal static class SampleMoments
{
    /// <summary>Throws for an empty list and for NaN or infinite values, which no summary can describe.</summary>
    public static double[] Checked(IReadOnlyList<double> values, string paramName)
    {
        ArgumentNullException.ThrowIfNull(values, paramName);
        if (values.Count == 0)
        {
            throw new ArgumentException("no values", paramName);
        }

        var copy = new double[values.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            var v = values[i];
            if (!double.IsFinite(v))
            {
                throw new ArgumentException(FormattableString.Invariant($"value {i} is {v}; only finite numbers can be summarised"), paramName);
            }

            copy[i] = v;
        }

        return copy;
    }

    /// <summary>The mean, refined by the mean residual so rounding in the first sum does not leak into the variance.</summary>
    public static double Mean(ReadOnlySpan<double> values) => MeanWithRemainder(values).Mean;

    /// <summary>
    /// The mean as a double and the part of the exact mean that the double cannot hold (the mean
    /// residual after rounding). A difference of two means near 1e9 adds the remainders back; without
    /// them it is off by up to 1e-7 (the spacing of doubles there), a visible share of seed noise.
    /// </summary>
    public static (double Mean, double Remainder) MeanWithRemainder(ReadOnlySpan<double> values)
    {
        var min = double.PositiveInfinity;
        var max = double.NegativeInfinity;
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        if (min == max)
        {
            return (min, 0.0);
        }

        var mean = Math.Clamp(sum / values.Length, min, max);
        mean = Math.Clamp(mean + (Residual(values, mean) / values.Length), min, max);
        return (mean, Residual(values, mean) / values.Length);
    }

    private static double Residual(ReadOnlySpan<double> values, double mean)
    {
        var residual = 0.0;
        foreach (var v in values)
        {
            residual += v - mean;
        }

        return residual;
    }

    /// <summary>
    /// Σ(x − x̄)², the numerator of the sample variance, by the corrected two-pass formula
    /// Σd² − (Σd)²/n (Chan, Golub and LeVeque, 1983): the second term takes out what is left of the
    /// mean's own rounding, which matters when the spread is a few units in the last place of the offset.
    /// </summary>
    public static double SumOfSquares(ReadOnlySpan<double> values, double mean)
    {
        var sum = 0.0;
        var sumOfSquares = 0.0;
        foreach (var v in values)
        {
            var d = v - mean;
            sum += d;
            sumOfSquares += d * d;
        }

        return Math.Max(0.0, sumOfSquares - (sum * sum / values.Length));
    }
}
