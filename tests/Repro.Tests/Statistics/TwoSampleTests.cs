using Repro.Platform.Statistics;

namespace Repro.Tests.Statistics;

/// <summary>
/// Expected values: scipy 1.10.1 / numpy 1.24.2 on /usr/bin/python3. Welch: stats.ttest_ind(b, a,
/// equal_var=False); df and standard error: scipy.stats._stats_py._unequal_var_ttest_denom(np.var(b,
/// ddof=1), nb, np.var(a, ddof=1), na), which ttest_ind uses; interval: diff ± q(df)·se with
/// q(df) = -optimize.brentq(lambda x: stats.t.cdf(x, df) - 0.025, -1000, 0, xtol=1e-300, rtol=8.9e-16).
/// The quantile is solved on SciPy's CDF because stats.t.ppf in scipy 1.10 (cdflib stdtrit) is off by
/// up to 2.2e-9 relative for fractional df (stats.t.cdf(-stats.t.ppf(0.975, 44.227), 44.227) =
/// 0.02500000024), so stats.t.interval(0.95, df, loc=diff, scale=se) agrees with these ends only to
/// ~1e-8 where the ends are near zero. Mann–Whitney: stats.mannwhitneyu(b, a, method=...); Cohen's d:
/// (mean(b) - mean(a)) / sqrt(((na-1)·var(a, ddof=1) + (nb-1)·var(b, ddof=1)) / (na+nb-2)); required n:
/// 2·(stats.norm.ppf(0.975) + stats.norm.ppf(0.8))**2 · (var(a, ddof=1) + var(b, ddof=1))/2 / diff**2.
/// </summary>
public sealed class TwoSampleTests
{
    private static void AssertInterval(double low, double high, Interval? actual, double relative = Approx.Relative)
    {
        Assert.NotNull(actual);
        Approx.Equal(low, actual.Low, relative);
        Approx.Equal(high, actual.High, relative);
    }

    [Fact]
    public void Welch_t_test_matches_scipy_for_unequal_variances()
    {
        // a ~ normal(0.90, 0.004), b ~ normal(0.905, 0.012): np.round(np.random.default_rng(11).normal(...), 4)
        double[] a = [0.9001, 0.9054, 0.9049, 0.898, 0.8988, 0.8979, 0.9023, 0.8998, 0.903, 0.8926];
        double[] b = [0.9238, 0.9038, 0.9132, 0.9034, 0.9005, 0.9106, 0.9149, 0.9026, 0.9032, 0.9132, 0.8946, 0.8868];
        var c = TwoSample.Compare(a, b);

        Assert.Equal(10, c.NA);
        Assert.Equal(12, c.NB);
        Approx.Equal(0.9002800000000001, c.MeanA);
        Approx.Equal(0.9058833333333333, c.MeanB);
        Approx.Equal(0.0056033333333331825, c.Difference);
        Approx.Equal(1.8041998060680529, c.WelchT); // ttest_ind(b, a, equal_var=False).statistic
        Approx.Equal(0.09172504646716531, c.WelchP); // .pvalue
        Approx.Equal(14.70037411327075, c.WelchDf); // _unequal_var_ttest_denom -> df
        AssertInterval(-0.0010281157942747914, 0.012234782460941156, c.DifferenceInterval); // diff ± q(14.70037411327075) · 0.003105716625446655
        Approx.Equal(0.7198231242724652, c.CohensD);
        Approx.Equal(28.20514282713877, c.RequiredNPerSide);

        // 0.9132 occurs twice in b, so the rank test is the normal approximation:
        // mannwhitneyu(b, a, method='asymptotic') -> U = 88.0, p = 0.06970721957786374
        Assert.Equal(88.0, c.MannWhitneyU);
        Assert.Equal("normal", c.MannWhitneyMethod);
        Approx.Equal(0.06970721957786374, c.MannWhitneyP);
        Approx.Equal(88.0 / 120, c.ProbabilityBGreaterThanA, 1e-15);
    }

    [Fact]
    public void Unequal_sizes_without_ties_use_the_exact_rank_test()
    {
        double[] a = [10.79, 8.6589, 6.1593, 8.3719, 9.0648];
        double[] b = [10.8068, 10.5075, 12.0366, 12.8972, 11.7669, 11.2564, 12.385, 12.7172, 11.7];
        var c = TwoSample.Compare(a, b);

        Approx.Equal(4.014470507262354, c.WelchT);
        Approx.Equal(0.00971041072736834, c.WelchP);
        Approx.Equal(5.116288116307013, c.WelchDf);
        AssertInterval(1.1564949450417754, 5.19745616606934, c.DifferenceInterval);
        Approx.Equal(2.7151502428214243, c.CohensD);
        Approx.Equal(2.668638741941037, c.RequiredNPerSide);

        // mannwhitneyu(b, a, method='exact') -> U = 44.0, p = 0.001998001998001998
        Assert.Equal(44.0, c.MannWhitneyU);
        Assert.Equal("exact", c.MannWhitneyMethod);
        Approx.Equal(0.001998001998001998, c.MannWhitneyP);
        Approx.Equal(44.0 / 45, c.ProbabilityBGreaterThanA, 1e-15);
    }

    [Fact]
    public void Twenty_seeds_per_side_use_the_exact_rank_test_and_match_scipy()
    {
        double[] a =
        [
            0.5272, 0.5521, 0.4897, 0.4593, 0.5174, 0.5124, 0.5549, 0.4358, 0.4669, 0.4581,
            0.4133, 0.5063, 0.5264, 0.4631, 0.5693, 0.5411, 0.5314, 0.5201, 0.5478, 0.4334,
        ];
        double[] b =
        [
            0.5607, 0.5601, 0.4416, 0.5474, 0.5175, 0.5691, 0.508, 0.5291, 0.5471, 0.4862,
            0.5599, 0.5248, 0.5546, 0.5039, 0.5843, 0.5603, 0.5211, 0.5616, 0.593, 0.6196,
        ];
        var c = TwoSample.Compare(a, b);

        Approx.Equal(3.0305145810511225, c.WelchT);
        Approx.Equal(0.0044179084620165525, c.WelchP);
        Approx.Equal(37.32105337029506, c.WelchDf);
        AssertInterval(0.013660148819349707, 0.06872985118065048, c.DifferenceInterval);
        Approx.Equal(0.9583328558472503, c.CohensD);
        Approx.Equal(17.092473467246894, c.RequiredNPerSide);

        // mannwhitneyu(b, a, method='exact') -> U = 300.0, p = 0.006144955649235766
        Assert.Equal(300.0, c.MannWhitneyU);
        Assert.Equal("exact", c.MannWhitneyMethod);
        Approx.Equal(0.006144955649235766, c.MannWhitneyP);
        Assert.Empty(c.Notes);
    }

    [Fact]
    public void More_than_twenty_seeds_use_the_normal_approximation_and_match_scipy()
    {
        double[] a =
        [
            0.4213, 0.5442, 0.5233, 0.4953, 0.4497, 0.5629, 0.4369, 0.5283, 0.5651, 0.42, 0.4849, 0.4345, 0.5122,
            0.5757, 0.6012, 0.4111, 0.4713, 0.5352, 0.579, 0.5211, 0.4627, 0.5149, 0.4992, 0.4898, 0.4633,
        ];
        double[] b =
        [
            0.5394, 0.5354, 0.5154, 0.5089, 0.4558, 0.4957, 0.5803, 0.5105, 0.448, 0.5867, 0.5465,
            0.6254, 0.5231, 0.4969, 0.4476, 0.5862, 0.6485, 0.479, 0.4876, 0.5498, 0.4785, 0.5065,
        ];
        var c = TwoSample.Compare(a, b);

        Approx.Equal(1.568522151156253, c.WelchT);
        Approx.Equal(0.12388707128438604, c.WelchP);
        Approx.Equal(44.22729549070776, c.WelchDf);
        AssertInterval(-0.0071041119020962, 0.057010657356641736, c.DifferenceInterval);
        Approx.Equal(0.4585616617814976, c.CohensD);
        Approx.Equal(74.65906517120592, c.RequiredNPerSide);

        // mannwhitneyu(b, a, method='asymptotic') -> U = 338.0, p = 0.18269447121494797
        Assert.Equal(338.0, c.MannWhitneyU);
        Assert.Equal("normal", c.MannWhitneyMethod);
        Approx.Equal(0.18269447121494797, c.MannWhitneyP);

        // the exact distribution still works at this size: mannwhitneyu(b, a, method='exact') -> p = 0.18447404738049075
        Approx.Equal(0.18447404738049075, MannWhitney.ExactP(338.0, 22, 25));
    }

    [Fact]
    public void Two_seeds_per_side_are_compared_with_caveats()
    {
        var c = TwoSample.Compare([1.0, 2.0], [3.0, 4.5]);

        Approx.Equal(2.4961508830135313, c.WelchT);
        Approx.Equal(0.14806674664969885, c.WelchP);
        Approx.Equal(1.7422680412371134, c.WelchDf);
        AssertInterval(-2.2335308840406825, 6.7335308840406825, c.DifferenceInterval);
        Approx.Equal(2.4961508830135313, c.CohensD);
        Approx.Equal(2.5193934949762506, c.RequiredNPerSide);

        // mannwhitneyu(b, a, method='exact') -> U = 4.0, p = 0.3333333333333333 (the smallest p 2 vs 2 can give)
        Assert.Equal(4.0, c.MannWhitneyU);
        Assert.Equal("exact", c.MannWhitneyMethod);
        Approx.Equal(0.3333333333333333, c.MannWhitneyP);
        Assert.Equal(1.0, c.ProbabilityBGreaterThanA);
        Assert.Contains(TwoSample.FewRankSeedsNote, c.Notes);
        Assert.Contains(c.Notes, n => n.StartsWith("too few seeds", StringComparison.Ordinal));
    }

    [Fact]
    public void Ties_in_the_rank_test_use_the_tie_corrected_normal_approximation()
    {
        double[] a = [0.91, 0.92, 0.92, 0.93, 0.90, 0.91, 0.94];
        double[] b = [0.92, 0.93, 0.93, 0.95, 0.91, 0.94];
        var c = TwoSample.Compare(a, b);

        // mannwhitneyu(b, a, method='asymptotic', use_continuity=True) -> U = 30.5, p = 0.1904302638255243
        Assert.Equal(30.5, c.MannWhitneyU);
        Assert.Equal("normal", c.MannWhitneyMethod);
        Approx.Equal(0.1904302638255243, c.MannWhitneyP);
        Approx.Equal(30.5 / 42, c.ProbabilityBGreaterThanA, 1e-15);
        Approx.Equal(1.4855627054164355, c.WelchT);
        Approx.Equal(0.16678873060586527, c.WelchP);
        Approx.Equal(10.499861278091194, c.WelchDf);
        AssertInterval(-0.005602735802991563, 0.028459878660134694, c.DifferenceInterval);
        Approx.Equal(0.8299671084893591, c.CohensD);
        Approx.Equal(22.892565891850868, c.RequiredNPerSide);
    }

    [Fact]
    public void Identical_samples_give_p_of_one()
    {
        double[] same = [0.1, 0.2, 0.3, 0.4, 0.5];
        var c = TwoSample.Compare(same, same);

        // ttest_ind -> t = 0.0, p = 1.0, df = 8.0; mannwhitneyu(..., method='asymptotic') -> U = 12.5, p = 1.0
        Assert.Equal(0.0, c.Difference);
        Assert.Equal(0.0, c.WelchT);
        Assert.Equal(1.0, c.WelchP);
        Approx.Equal(8.0, c.WelchDf);
        AssertInterval(-0.2306004135204166, 0.2306004135204166, c.DifferenceInterval);
        Assert.Equal(12.5, c.MannWhitneyU);
        Assert.Equal(1.0, c.MannWhitneyP);
        Assert.Equal(0.5, c.ProbabilityBGreaterThanA);
        Assert.Equal(0.0, c.CohensD);
        Assert.Null(c.RequiredNPerSide);
    }

    [Fact]
    public void Zero_variance_on_both_sides_leaves_the_t_test_undefined()
    {
        var c = TwoSample.Compare([1.0, 1.0, 1.0], [2.0, 2.0, 2.0]);

        Assert.Equal(1.0, c.Difference);
        Assert.Null(c.WelchT);
        Assert.Null(c.WelchDf);
        Assert.Null(c.WelchP);
        Assert.Null(c.DifferenceInterval);
        Assert.Null(c.CohensD);
        Assert.Null(c.RequiredNPerSide);
        Assert.Contains(TwoSample.NoSpreadNote, c.Notes);

        // every value tied within its side: mannwhitneyu(b, a, method='asymptotic') -> U = 9.0, p = 0.04685417760387376
        Assert.Equal(9.0, c.MannWhitneyU);
        Assert.Equal("normal", c.MannWhitneyMethod);
        Approx.Equal(0.04685417760387376, c.MannWhitneyP);
    }

    [Fact]
    public void Every_value_the_same_on_both_sides_gives_rank_p_of_one()
    {
        var c = TwoSample.Compare([2.0, 2.0, 2.0], [2.0, 2.0]);

        // mannwhitneyu([2, 2], [2, 2, 2], method='asymptotic') -> U = 3.0, p = 1.0 (z = -inf)
        Assert.Equal(3.0, c.MannWhitneyU);
        Assert.Equal(1.0, c.MannWhitneyP);
        Assert.Null(c.WelchP);
        Assert.Null(c.CohensD);
        Assert.Null(c.RequiredNPerSide);
    }

    [Fact]
    public void Zero_variance_on_one_side_still_has_a_Welch_test()
    {
        var c = TwoSample.Compare([1.0, 1.0, 1.0, 1.0], [1.5, 2.0, 2.5, 1.8]);

        Approx.Equal(4.520394038593421, c.WelchT);
        Approx.Equal(0.020242767589853425, c.WelchP);
        Approx.Equal(3.0, c.WelchDf);
        AssertInterval(0.28118131644995503, 1.6188186835500449, c.DifferenceInterval);
        Approx.Equal(3.196401278324652, c.CohensD);
        Approx.Equal(1.5364381382105328, c.RequiredNPerSide);

        // the four 1.0s are ties: mannwhitneyu(b, a, method='asymptotic') -> U = 16.0, p = 0.021070570134378658
        Assert.Equal(16.0, c.MannWhitneyU);
        Approx.Equal(0.021070570134378658, c.MannWhitneyP);
    }

    [Fact]
    public void Negative_values_match_scipy()
    {
        var c = TwoSample.Compare(SeedSamples.Negative, [-0.25, 1.5, 2.75, -1.0, 0.5]);

        Approx.Equal(1.4291666666666667, c.Difference);
        Approx.Equal(1.1839629053242582, c.WelchT);
        Approx.Equal(0.2693088963469893, c.WelchP);
        Approx.Equal(8.277871728492105, c.WelchDf);
        AssertInterval(-1.3382399129957179, 4.196573246329051, c.DifferenceInterval);
        Approx.Equal(0.6832678360506024, c.CohensD);
        Approx.Equal(31.928833666772594, c.RequiredNPerSide);

        // mannwhitneyu(b, a, method='exact') -> U = 21.0, p = 0.32900432900432897
        Assert.Equal(21.0, c.MannWhitneyU);
        Assert.Equal("exact", c.MannWhitneyMethod);
        Approx.Equal(0.32900432900432897, c.MannWhitneyP);
    }

    [Fact]
    public void Large_offsets_keep_the_difference_accurate()
    {
        double[] b = [1e9 + 0.01123, 1e9 + 0.00456, 1e9 + 0.01789, 1e9 + 0.00812, 1e9 + 0.00345, 1e9 + 0.01678];
        var c = TwoSample.Compare(SeedSamples.LargeOffset, b);

        // numpy rounds each mean near 1e9 (ttest_ind -> t = 3.0920667392587218, off by 2e-5), so the reference is
        // exact arithmetic on the same doubles: fractions.Fraction means, statistics.variance(Fractions), then
        // t = diff / sqrt(vb/nb + va/na), df = Welch–Satterthwaite, p = 2 * stats.t.sf(|t|, df),
        // stats.t.interval(0.95, df, loc=diff, scale=se):
        Approx.Equal(0.010481173083895729, c.Difference);
        Approx.Equal(3.092047480823349, c.WelchT);
        Approx.Equal(10.707021237848396, c.WelchDf);
        Approx.Equal(0.01055946515188921, c.WelchP);
        AssertInterval(0.0029954678901835024, 0.017966878277607956, c.DifferenceInterval);
        Approx.Equal(1.7198065967603053, c.CohensD);
        Approx.Equal(5.305855580494888, c.RequiredNPerSide);

        // mannwhitneyu(b, a, method='exact') -> U = 38.0, p = 0.013986013986013986
        Assert.Equal(38.0, c.MannWhitneyU);
        Approx.Equal(0.013986013986013986, c.MannWhitneyP);
    }

    [Fact]
    public void One_seed_on_a_side_has_no_t_test_but_a_rank_test()
    {
        var c = TwoSample.Compare([0.5], [0.4, 0.6, 0.7]);

        Assert.Null(c.WelchT);
        Assert.Null(c.WelchDf);
        Assert.Null(c.WelchP);
        Assert.Null(c.DifferenceInterval);
        Assert.Null(c.RequiredNPerSide);
        Assert.Contains(c.Notes, n => n.StartsWith("t-test undefined", StringComparison.Ordinal));
        Approx.Equal(0.06666666666666665, c.Difference);

        // mannwhitneyu(b, a, method='exact') -> U = 2.0, p = 1.0
        Assert.Equal(2.0, c.MannWhitneyU);
        Assert.Equal("exact", c.MannWhitneyMethod);
        Assert.Equal(1.0, c.MannWhitneyP);
    }

    [Fact]
    public void A_tiny_Welch_p_keeps_its_relative_precision()
    {
        double[] a = [0.801, 0.803, 0.799, 0.802, 0.800, 0.798];
        double[] b = [0.841, 0.843, 0.838, 0.845, 0.840, 0.842, 0.839];
        var c = TwoSample.Compare(a, b);

        // ttest_ind(b, a, equal_var=False) -> t = 34.18789660637557, p = 1.85717338751928e-12; df -> 10.92306078
        Approx.Equal(34.18789660637557, c.WelchT);
        Approx.Equal(1.85717338751928e-12, c.WelchP);
        Assert.Equal(10.92306078, c.WelchDf!.Value, 1e-8);

        // mannwhitneyu(b, a, method='exact') -> U = 42.0, p = 0.0011655011655011655 (= 2 / C(13, 6))
        Assert.Equal(42.0, c.MannWhitneyU);
        Approx.Equal(0.0011655011655011655, c.MannWhitneyP);
        Assert.Equal(1.0, c.ProbabilityBGreaterThanA);
    }

    [Fact]
    public void Small_seed_counts_are_named_in_the_notes()
    {
        var few = TwoSample.Compare([1.0, 2.0, 3.0, 4.0], [2.0, 3.0, 4.0, 5.5, 6.0]);
        Assert.Contains(few.Notes, n => n.StartsWith("too few seeds", StringComparison.Ordinal) && n.Contains("A has 4", StringComparison.Ordinal));

        var enough = TwoSample.Compare([1.0, 2.0, 3.0, 4.0, 5.0], [2.0, 3.0, 4.5, 5.5, 6.5]);
        Assert.DoesNotContain(enough.Notes, n => n.StartsWith("too few seeds", StringComparison.Ordinal));
    }

    [Fact]
    public void An_empty_side_or_NaN_throws()
    {
        Assert.Throws<ArgumentException>(() => TwoSample.Compare([], [1.0, 2.0]));
        Assert.Throws<ArgumentException>(() => TwoSample.Compare([1.0, 2.0], []));
        Assert.Throws<ArgumentException>(() => TwoSample.Compare([1.0, double.NaN], [1.0, 2.0]));
    }

    [Theory]
    [InlineData(3, 3, true)]
    [InlineData(2, 7, true)]
    [InlineData(2, 8, false)]
    [InlineData(1, 39, true)]
    [InlineData(1, 40, false)]
    [InlineData(3, 5, false)]
    [InlineData(4, 4, false)]
    public void The_rank_test_note_appears_exactly_when_p_below_0_05_is_out_of_reach(int na, int nb, bool expected)
    {
        // the smallest two-sided exact p is 2 / C(na + nb, na): 0.1, 0.056, 0.044, 0.05, 0.049, 0.036, 0.029
        var a = Enumerable.Range(0, na).Select(i => (double)i).ToArray();
        var b = Enumerable.Range(100, nb).Select(i => (double)i).ToArray();
        var c = TwoSample.Compare(a, b);

        Assert.Equal(expected, c.Notes.Any(n => n.Contains("cannot reach p < 0.05", StringComparison.Ordinal)));
    }
}
