namespace Repro.Checks.Leakage;

/// <summary>
/// The statistics behind the leakage checks, written to agree with SciPy and scikit-learn:
/// two-sample Kolmogorov–Smirnov (<c>scipy.stats.ks_2samp</c>), ROC AUC as the Mann–Whitney
/// rank statistic with average ranks for ties (<c>sklearn.metrics.roc_auc_score</c>),
/// normalised mutual information with the arithmetic mean of the entropies
/// (<c>sklearn.metrics.normalized_mutual_info_score</c>'s default), total-variation distance,
/// and the χ² test of homogeneity (<c>scipy.stats.chi2_contingency</c> without correction).
/// </summary>
public static class LeakStatistics
{
    /// <summary>The largest distance between the two empirical distribution functions; sorts both arrays in place.</summary>
    public static double KolmogorovSmirnov(double[] a, double[] b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return double.NaN;
        }

        Array.Sort(a);
        Array.Sort(b);
        int i = 0, j = 0;
        double d = 0;
        while (i < a.Length && j < b.Length)
        {
            var x = Math.Min(a[i], b[j]);
            while (i < a.Length && a[i] == x)
            {
                i++;
            }

            while (j < b.Length && b[j] == x)
            {
                j++;
            }

            d = Math.Max(d, Math.Abs(((double)i / a.Length) - ((double)j / b.Length)));
        }

        return d;
    }

    /// <summary>
    /// Asymptotic two-sided p-value of a two-sample KS statistic (the Kolmogorov distribution at
    /// √(nm/(n+m))·D, with Stephens' small-sample correction).
    /// </summary>
    public static double KolmogorovSmirnovPValue(double d, long n, long m)
    {
        if (n == 0 || m == 0 || double.IsNaN(d))
        {
            return double.NaN;
        }

        var en = Math.Sqrt((double)n * m / (n + m));
        var lambda = (en + 0.12 + (0.11 / en)) * d;
        if (lambda < 1e-3)
        {
            return 1;
        }

        double sum = 0;
        for (var k = 1; k <= 100; k++)
        {
            var term = Math.Exp(-2 * k * k * lambda * lambda);
            sum += (k % 2 == 1 ? 2 : -2) * term;
            if (term < 1e-16)
            {
                break;
            }
        }

        return Math.Clamp(sum, 0, 1);
    }

    /// <summary>
    /// ROC AUC of <paramref name="scores"/> for the labels (true = positive): the probability that
    /// a random positive scores above a random negative, ties counting one half. NaN when a class is absent.
    /// </summary>
    public static double RocAuc(ReadOnlySpan<double> scores, ReadOnlySpan<bool> positive)
    {
        var n = scores.Length;
        var order = new int[n];
        for (var k = 0; k < n; k++)
        {
            order[k] = k;
        }

        var keys = scores.ToArray();
        Array.Sort(keys, order);
        double positiveRankSum = 0;
        long positives = 0;
        var i = 0;
        while (i < n)
        {
            var j = i;
            while (j + 1 < n && keys[j + 1] == keys[i])
            {
                j++;
            }

            var averageRank = ((i + 1) + (j + 1)) / 2.0;
            for (var k = i; k <= j; k++)
            {
                if (positive[order[k]])
                {
                    positiveRankSum += averageRank;
                    positives++;
                }
            }

            i = j + 1;
        }

        long negatives = n - positives;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        return (positiveRankSum - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);
    }

    /// <summary>
    /// NMI of a contingency table (rows: feature values, columns: target classes), arithmetic
    /// normalisation, with scikit-learn's edge cases: 1 when both sides have one value, 0 when MI is 0.
    /// </summary>
    public static double NormalizedMutualInformation(IReadOnlyList<long[]> table)
    {
        var rows = table.Where(r => r.Sum() > 0).ToList();
        var classes = rows.Count == 0 ? 0 : rows.Max(r => r.Length);
        var columnTotals = new double[classes];
        double total = 0;
        foreach (var row in rows)
        {
            for (var c = 0; c < row.Length; c++)
            {
                columnTotals[c] += row[c];
                total += row[c];
            }
        }

        var usedClasses = columnTotals.Count(t => t > 0);
        if ((rows.Count == 1 && usedClasses == 1) || total == 0)
        {
            return 1;
        }

        double mi = 0;
        double hRows = 0;
        foreach (var row in rows)
        {
            double rowTotal = row.Sum();
            hRows -= rowTotal / total * Math.Log(rowTotal / total);
            for (var c = 0; c < row.Length; c++)
            {
                if (row[c] > 0)
                {
                    mi += row[c] / total * Math.Log(row[c] * total / (rowTotal * columnTotals[c]));
                }
            }
        }

        double hColumns = 0;
        foreach (var t in columnTotals.Where(t => t > 0))
        {
            hColumns -= t / total * Math.Log(t / total);
        }

        if (mi <= 0)
        {
            return 0;
        }

        return mi / ((hRows + hColumns) / 2);
    }

    /// <summary>Half the L1 distance between the two distributions given by the counts (same categories, same order).</summary>
    public static double TotalVariation(IReadOnlyList<long> a, IReadOnlyList<long> b)
    {
        double totalA = a.Sum();
        double totalB = b.Sum();
        if (totalA == 0 || totalB == 0)
        {
            return double.NaN;
        }

        double sum = 0;
        for (var k = 0; k < a.Count; k++)
        {
            sum += Math.Abs((a[k] / totalA) - (b[k] / totalB));
        }

        return sum / 2;
    }

    /// <summary>p-value of the χ² test that two samples of counts come from one distribution (Pearson, no continuity correction).</summary>
    public static double ChiSquareHomogeneityPValue(IReadOnlyList<long> a, IReadOnlyList<long> b)
    {
        double totalA = a.Sum();
        double totalB = b.Sum();
        var total = totalA + totalB;
        if (totalA == 0 || totalB == 0)
        {
            return double.NaN;
        }

        double chi2 = 0;
        var categories = 0;
        for (var k = 0; k < a.Count; k++)
        {
            double column = a[k] + b[k];
            if (column == 0)
            {
                continue;
            }

            categories++;
            var expectedA = column * totalA / total;
            var expectedB = column * totalB / total;
            chi2 += ((a[k] - expectedA) * (a[k] - expectedA) / expectedA) + ((b[k] - expectedB) * (b[k] - expectedB) / expectedB);
        }

        return categories < 2 ? 1 : ChiSquareSurvival(chi2, categories - 1);
    }

    /// <summary>P(X ≥ x) for X ~ χ²(k): the regularised upper incomplete gamma Q(k/2, x/2).</summary>
    public static double ChiSquareSurvival(double x, int degreesOfFreedom) => x <= 0 ? 1 : UpperRegularizedGamma(degreesOfFreedom / 2.0, x / 2);

    private static double UpperRegularizedGamma(double a, double x)
    {
        var logPrefix = (a * Math.Log(x)) - x - LogGamma(a);
        if (x < a + 1)
        {
            // Series for P(a, x).
            double term = 1 / a, sum = term;
            for (var n = 1; n < 1000; n++)
            {
                term *= x / (a + n);
                sum += term;
                if (Math.Abs(term) < Math.Abs(sum) * 1e-15)
                {
                    break;
                }
            }

            return Math.Clamp(1 - (sum * Math.Exp(logPrefix)), 0, 1);
        }

        // Continued fraction for Q(a, x) (modified Lentz).
        const double tiny = 1e-300;
        var b = x + 1 - a;
        var c = 1 / tiny;
        var d = 1 / b;
        var h = d;
        for (var n = 1; n < 1000; n++)
        {
            var an = -n * (n - a);
            b += 2;
            d = (an * d) + b;
            d = Math.Abs(d) < tiny ? tiny : d;
            c = b + (an / c);
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-15)
            {
                break;
            }
        }

        return Math.Clamp(Math.Exp(logPrefix) * h, 0, 1);
    }

    // Lanczos approximation (g = 7, n = 9), accurate to about 15 digits for a > 0.
    private static double LogGamma(double a)
    {
        double[] coefficients =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7,
        ];
        if (a < 0.5)
        {
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * a))) - LogGamma(1 - a);
        }

        a -= 1;
        var sum = coefficients[0];
        for (var k = 1; k < 9; k++)
        {
            sum += coefficients[k] / (a + k);
        }

        var t = a + 7.5;
        return (0.5 * Math.Log(2 * Math.PI)) + ((a + 0.5) * Math.Log(t)) - t + Math.Log(sum);
    }
}
