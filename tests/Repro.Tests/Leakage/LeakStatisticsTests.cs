using Repro.Checks.Leakage;

namespace Repro.Tests.Leakage;

/// <summary>Known answers from SciPy 1.10.1 and scikit-learn 1.2.1 (the call that produced each is in the comment).</summary>
public sealed class LeakStatisticsTests
{
    [Fact]
    public void Leak_KS_matches_scipy_with_ties()
    {
        // scipy.stats.ks_2samp([1,2,2,3,4,5,5,5,9], [2,3,3,3,6,7,8]).statistic
        var d = LeakStatistics.KolmogorovSmirnov([1, 2, 2, 3, 4, 5, 5, 5, 9], [2, 3, 3, 3, 6, 7, 8]);
        Assert.Equal(0.31746031746031744, d, 12);
    }

    [Fact]
    public void Leak_KS_edges_one_value_each_equal_samples_and_empty()
    {
        // ks_2samp([1.0], [2.0]).statistic == 1.0; ks_2samp([1,2], [1,2]).statistic == 0.0
        Assert.Equal(1.0, LeakStatistics.KolmogorovSmirnov([1.0], [2.0]));
        Assert.Equal(0.0, LeakStatistics.KolmogorovSmirnov([1, 2], [2, 1]));
        Assert.True(double.IsNaN(LeakStatistics.KolmogorovSmirnov([], [1.0])));
    }

    [Fact]
    public void Leak_KS_p_value_is_small_for_a_large_shift_and_near_one_for_none()
    {
        Assert.True(LeakStatistics.KolmogorovSmirnovPValue(0.3, 1000, 200) < 1e-10);
        Assert.True(LeakStatistics.KolmogorovSmirnovPValue(0.02, 1000, 200) > 0.99);
    }

    [Fact]
    public void Leak_AUC_matches_sklearn_with_tied_scores()
    {
        // sklearn.metrics.roc_auc_score([0,0,1,1,0,1,1,0,1,0], [0.1,0.4,0.35,0.8,0.4,0.4,0.9,0.2,0.6,0.55]) == 0.8
        double[] scores = [0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.9, 0.2, 0.6, 0.55];
        bool[] labels = [false, false, true, true, false, true, true, false, true, false];
        Assert.Equal(0.8, LeakStatistics.RocAuc(scores, labels), 12);
    }

    [Fact]
    public void Leak_AUC_edges_perfect_reversed_all_tied_and_one_class()
    {
        Assert.Equal(1.0, LeakStatistics.RocAuc([1, 2], [false, true]));
        Assert.Equal(0.0, LeakStatistics.RocAuc([1, 2], [true, false]));
        Assert.Equal(0.5, LeakStatistics.RocAuc([3, 3, 3], [true, false, false]));
        Assert.True(double.IsNaN(LeakStatistics.RocAuc([1], [true])));
    }

    [Fact]
    public void Leak_NMI_matches_sklearn_arithmetic_normalisation()
    {
        // normalized_mutual_info_score(['a','a','b','b','c','c','c','a'], ['x','x','y','y','y','z','z','x'])
        // feature rows x, y, z; target columns a, b, c
        long[][] table = [[3, 0, 0], [0, 2, 1], [0, 0, 2]];
        Assert.Equal(0.7794365191085164, LeakStatistics.NormalizedMutualInformation(table), 12);
    }

    [Fact]
    public void Leak_NMI_edges_follow_sklearn()
    {
        // normalized_mutual_info_score([0,0,1,1], [5,5,5,5]) == 0.0: a constant feature says nothing
        Assert.Equal(0.0, LeakStatistics.NormalizedMutualInformation([[2, 2]]));
        // normalized_mutual_info_score([0,1,0,1], [0,0,1,1]) == 0.0
        Assert.Equal(0.0, LeakStatistics.NormalizedMutualInformation([[1, 1], [1, 1]]));
        // both constant: sklearn's special case 1.0
        Assert.Equal(1.0, LeakStatistics.NormalizedMutualInformation([[4]]));
        // a perfect copy of a binary target
        Assert.Equal(1.0, LeakStatistics.NormalizedMutualInformation([[3, 0], [0, 5]]), 12);
    }

    [Fact]
    public void Leak_total_variation_is_half_the_L1_distance()
    {
        // p = (0.2, 0.3, 0.5), q = (0.5, 0.5, 0): (0.3 + 0.2 + 0.5) / 2
        Assert.Equal(0.5, LeakStatistics.TotalVariation([2, 3, 5], [5, 5, 0]), 12);
        Assert.Equal(0.0, LeakStatistics.TotalVariation([1, 1], [10, 10]), 12);
    }

    [Fact]
    public void Leak_chi_square_matches_scipy()
    {
        // scipy.stats.chi2.sf(3.84, 1), chi2.sf(10.5, 4), chi2.sf(0.5, 7), chi2.sf(40, 10)
        Assert.Equal(0.05004352124870519, LeakStatistics.ChiSquareSurvival(3.84, 1), 10);
        Assert.Equal(0.03279698999488366, LeakStatistics.ChiSquareSurvival(10.5, 4), 10);
        Assert.Equal(0.9994464813904249, LeakStatistics.ChiSquareSurvival(0.5, 7), 10);
        Assert.Equal(1.694474393006737e-05, LeakStatistics.ChiSquareSurvival(40, 10), 12);

        // scipy.stats.chi2_contingency([[10,20,30],[15,15,40]], correction=False)[1]
        Assert.Equal(0.30304391468510006, LeakStatistics.ChiSquareHomogeneityPValue([10, 20, 30], [15, 15, 40]), 10);
    }
}
