namespace Repro.Platform.Statistics;

/// <summary>
/// The Mann–Whitney U test as scipy.stats.mannwhitneyu (two-sided): U from mid-ranks, an exact p from
/// the null distribution of U, or the normal approximation with tie and continuity corrections.
/// </summary>
internal static class MannWhitney
{
    /// <summary>Largest m + n for which the arrangement counts fit in a long (C(60, 30) ≈ 1.2e17).</summary>
    public const int MaxExactTotal = 60;

    /// <summary>U of <paramref name="x"/> (pairs with x &gt; y, ties half) and Σ(t³ − t) over tie groups of the pooled sample.</summary>
    public static (double U, double TieTerm) Statistic(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var n = x.Length + y.Length;
        var pooled = new (double Value, bool FromX)[n];
        for (var i = 0; i < x.Length; i++)
        {
            pooled[i] = (x[i], true);
        }

        for (var i = 0; i < y.Length; i++)
        {
            pooled[x.Length + i] = (y[i], false);
        }

        Array.Sort(pooled, static (l, r) => l.Value.CompareTo(r.Value));
        var rankSumX = 0.0;
        var tieTerm = 0.0;
        for (var start = 0; start < n;)
        {
            var end = start + 1;
            while (end < n && pooled[end].Value == pooled[start].Value)
            {
                end++;
            }

            // Ranks start + 1 … end share their mean.
            var midRank = (start + 1 + end) / 2.0;
            for (var k = start; k < end; k++)
            {
                if (pooled[k].FromX)
                {
                    rankSumX += midRank;
                }
            }

            double t = end - start;
            tieTerm += (t * t * t) - t;
            start = end;
        }

        return (rankSumX - (x.Length * (x.Length + 1) / 2.0), tieTerm);
    }

    /// <summary>
    /// Two-sided exact p for U of one side (no ties): 2·P(U ≥ max(U, m·n − U)) under the null, clipped
    /// to 1, as scipy's method='exact'.
    /// </summary>
    public static double ExactP(double u, int m, int n)
    {
        var counts = ArrangementCounts(m, n);
        var mn = (long)m * n;
        var upper = Math.Max(u, mn - u);

        // By symmetry P(U ≥ k) = P(U ≤ m·n − k).
        var limit = (int)(mn - (long)upper);
        long tail = 0;
        long total = 0;
        for (var k = 0; k < counts.Length; k++)
        {
            total += counts[k];
            if (k <= limit)
            {
                tail += counts[k];
            }
        }

        return Math.Min(1.0, 2.0 * tail / total);
    }

    /// <summary>
    /// The number of the C(m + n, m) orderings of the pooled sample that give U = k, for k = 0 … m·n:
    /// the coefficients of the Gaussian binomial Π (1 − q^(n+i)) / (1 − q^i), i = 1 … m, in exact integers.
    /// </summary>
    public static long[] ArrangementCounts(int m, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(m + n, MaxExactTotal);
        var c = new long[(m * n) + m + 1];
        c[0] = 1;
        var degree = 0;
        for (var i = 1; i <= m; i++)
        {
            var shift = n + i;
            var raised = degree + shift;
            for (var k = raised; k >= shift; k--)
            {
                c[k] -= c[k - shift];
            }

            // Dividing by (1 − q^i) is a running sum with stride i; the division is exact.
            degree = raised - i;
            for (var k = i; k <= degree; k++)
            {
                c[k] += c[k - i];
            }

            Array.Clear(c, degree + 1, raised - degree);
        }

        return c[..((m * n) + 1)];
    }

    /// <summary>
    /// Two-sided p by the normal approximation, as scipy's method='asymptotic', use_continuity=True:
    /// z = (max(U, m·n − U) − m·n/2 − 0.5) / σ with the tie-corrected σ; 1 when every value is tied.
    /// </summary>
    public static double NormalP(double u, int m, int n, double tieTerm)
    {
        double total = m + n;
        var mn = (double)m * n;
        var upper = Math.Max(u, mn - u);
        var variance = mn / 12 * ((total + 1) - (tieTerm / (total * (total - 1))));
        if (!(variance > 0))
        {
            return 1.0;
        }

        var z = (upper - (mn / 2) - 0.5) / Math.Sqrt(variance);
        return Math.Min(1.0, 2.0 * MathNet.Numerics.Distributions.Normal.CDF(0, 1, -z));
    }
}
