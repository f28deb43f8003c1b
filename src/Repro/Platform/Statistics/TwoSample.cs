using System.Globalization;
using MathNet.Numerics.Distributions;

namespace Repro.Platform.Statistics;

/// <summary>
/// Compares a metric between two sets of seed runs (A, the baseline, and B). The t-test parts follow
/// scipy.stats.ttest_ind(b, a, equal_var=False) and the rank test scipy.stats.mannwhitneyu(b, a), so a
/// user can check any number in Python.
/// </summary>
public static class TwoSample
{
    /// <summary>Both sides at most this many seeds and no ties: the Mann–Whitney p is exact.</summary>
    public const int MaxExactPerSide = 20;

    public const string NoSpreadNote = "t-test undefined: no spread on either side";

    public const string FewRankSeedsNote = "with fewer than 4 seeds per side a rank test cannot reach p < 0.05";

    /// <summary>2·(z₀.₉₇₅ + z₀.₈)² ≈ 15.7: seeds per side per (σ/δ)² for 80% power at α = 0.05, two-sided.</summary>
    private static readonly double PowerFactor = 2 * Math.Pow(Normal.InvCDF(0, 1, 0.975) + Normal.InvCDF(0, 1, 0.8), 2);

    /// <summary>
    /// Compares <paramref name="b"/> against <paramref name="a"/>. Throws <see cref="ArgumentException"/>
    /// for an empty side or a NaN or infinite value; a side with one seed gets null t-test members and a note.
    /// </summary>
    public static TwoSampleComparison Compare(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var xa = SampleMoments.Checked(a, nameof(a));
        var xb = SampleMoments.Checked(b, nameof(b));
        int na = xa.Length, nb = xb.Length;
        var (meanA, remainderA) = SampleMoments.MeanWithRemainder(xa);
        var (meanB, remainderB) = SampleMoments.MeanWithRemainder(xb);
        var difference = (meanB - meanA) + (remainderB - remainderA);
        var ssA = SampleMoments.SumOfSquares(xa, meanA);
        var ssB = SampleMoments.SumOfSquares(xb, meanB);
        double? varA = na > 1 ? ssA / (na - 1) : null;
        double? varB = nb > 1 ? ssB / (nb - 1) : null;
        var notes = new List<string>();

        double? welchT = null, welchDf = null, welchP = null;
        Interval? differenceInterval = null;
        if (varA is not { } va || varB is not { } vb)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"t-test undefined: it needs at least 2 seeds per side (A has {na}, B has {nb})"));
        }
        else if (va == 0 && vb == 0)
        {
            notes.Add(NoSpreadNote);
        }
        else
        {
            var vnA = va / na;
            var vnB = vb / nb;
            var df = ((vnB + vnA) * (vnB + vnA)) / ((vnB * vnB / (nb - 1)) + (vnA * vnA / (na - 1)));
            var se = Math.Sqrt(vnB + vnA);
            var t = difference / se;
            welchT = t;
            welchDf = df;
            welchP = Math.Min(1.0, 2 * StudentT.CDF(0, 1, df, -Math.Abs(t)));
            var half = StudentTCritical.Upper975(df) * se;
            differenceInterval = new Interval(difference - half, difference + half);
        }

        var (u, tieTerm) = MannWhitney.Statistic(xb, xa);
        var exact = na <= MaxExactPerSide && nb <= MaxExactPerSide && tieTerm == 0;
        var mwP = exact ? MannWhitney.ExactP(u, nb, na) : MannWhitney.NormalP(u, nb, na, tieTerm);

        var smallestRankP = 2.0 / Binomial(na + nb, na);
        if (na < 4 && nb < 4)
        {
            notes.Add(FewRankSeedsNote);
        }
        else if (smallestRankP >= 0.05)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"with {na} seeds on A and {nb} on B a rank test cannot reach p < 0.05 (the smallest possible p is {smallestRankP:G3})"));
        }

        if (na < 5 || nb < 5)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"too few seeds for a confidence interval worth reading (A has {na}, B has {nb}; 5 per side is a bare minimum)"));
        }

        if (!exact && tieTerm > 0 && na <= MaxExactPerSide && nb <= MaxExactPerSide)
        {
            notes.Add("tied values: the rank test uses the normal approximation with a tie correction");
        }

        var pooledDf = na + nb - 2;
        var pooledSd = pooledDf > 0 ? Math.Sqrt((ssA + ssB) / pooledDf) : 0;
        double? requiredN = null;
        if (varA is { } v1 && varB is { } v2 && difference != 0 && v1 + v2 > 0)
        {
            requiredN = PowerFactor * ((v1 + v2) / 2) / (difference * difference);
        }

        return new TwoSampleComparison
        {
            NA = na,
            NB = nb,
            MeanA = meanA,
            MeanB = meanB,
            Difference = difference,
            DifferenceInterval = differenceInterval,
            WelchT = welchT,
            WelchDf = welchDf,
            WelchP = welchP,
            MannWhitneyU = u,
            MannWhitneyP = mwP,
            MannWhitneyMethod = exact ? "exact" : "normal",
            ProbabilityBGreaterThanA = u / ((double)na * nb),
            CohensD = pooledSd > 0 ? difference / pooledSd : null,
            RequiredNPerSide = requiredN,
            Notes = notes,
        };
    }

    /// <summary>C(n, k) as a double; exact while it stays below 2⁵³, and only compared against 40 here.</summary>
    private static double Binomial(int n, int k)
    {
        k = Math.Min(k, n - k);
        var result = 1.0;
        for (var i = 1; i <= k; i++)
        {
            result = result * (n - k + i) / i;
        }

        return result;
    }
}
