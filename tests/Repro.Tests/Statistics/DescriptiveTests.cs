using Repro.Platform.Statistics;

namespace Repro.Tests.Statistics;

/// <summary>Expected values: scipy 1.10.1 / numpy 1.24.2 on /usr/bin/python3, the call beside each number.</summary>
public sealed class DescriptiveTests
{
    [Fact]
    public void Summary_of_twenty_seeds_matches_scipy()
    {
        var s = Descriptive.Summarise(SeedSamples.Accuracy20);

        Assert.Equal(20, s.N);
        Approx.Equal(0.9061049999999999, s.Mean); // np.mean(a)
        Approx.Equal(0.004675746492610356, s.StdDev); // np.std(a, ddof=1)
        Approx.Equal(0.0010455287003032973, s.StdError); // stats.sem(a)
        Assert.NotNull(s.TInterval);
        Approx.Equal(0.903916683280691, s.TInterval.Low); // stats.t.interval(0.95, 19, loc=np.mean(a), scale=stats.sem(a))
        Approx.Equal(0.9082933167193089, s.TInterval.High);
        Approx.Equal(0.90585, s.Median); // np.median(a)
        Assert.Equal(0.8966, s.Min);
        Assert.Equal(0.916, s.Max);
        Approx.Equal(0.005160270048846829, s.CoefficientOfVariation); // np.std(a, ddof=1) / abs(np.mean(a))
        Assert.Empty(s.Notes);
    }

    [Fact]
    public void Summary_of_negative_values_matches_scipy()
    {
        var s = Descriptive.Summarise(SeedSamples.Negative);

        Approx.Equal(-0.7291666666666666, s.Mean); // np.mean(a)
        Approx.Equal(2.4779233577063406, s.StdDev); // np.std(a, ddof=1)
        Approx.Equal(1.011607974684089, s.StdError); // stats.sem(a)
        Approx.Equal(-3.3295877521642088, s.TInterval!.Low); // stats.t.interval(0.95, 5, loc=np.mean(a), scale=stats.sem(a))
        Approx.Equal(1.8712544188308757, s.TInterval.High);
        Approx.Equal(-1.0, s.Median); // np.median(a)
        Approx.Equal(3.398294890568696, s.CoefficientOfVariation); // np.std(a, ddof=1) / abs(np.mean(a)): the mean's magnitude, so CV stays positive
    }

    [Fact]
    public void Summary_of_two_runs_has_a_wide_t_interval_and_a_caveat()
    {
        var s = Descriptive.Summarise([3.0, 5.5]);

        Approx.Equal(4.25, s.Mean);
        Approx.Equal(1.7677669529663689, s.StdDev); // np.std([3.0, 5.5], ddof=1)
        Approx.Equal(1.25, s.StdError); // stats.sem([3.0, 5.5])
        Approx.Equal(-11.63275592054012, s.TInterval!.Low); // stats.t.interval(0.95, 1, loc=4.25, scale=1.25)
        Approx.Equal(20.13275592054012, s.TInterval.High);
        Approx.Equal(0.4159451654038515, s.CoefficientOfVariation);
        Assert.NotNull(s.BootstrapInterval);
        Assert.Contains(Descriptive.FewSeedsNote, s.Notes);
    }

    [Fact]
    public void Summary_of_one_run_has_no_spread_and_no_intervals()
    {
        var s = Descriptive.Summarise([0.87]);

        Assert.Equal(1, s.N);
        Assert.Equal(0.87, s.Mean);
        Assert.Equal(0.87, s.Median);
        Assert.Equal(0.87, s.Min);
        Assert.Equal(0.87, s.Max);
        Assert.Null(s.StdDev);
        Assert.Null(s.StdError);
        Assert.Null(s.TInterval);
        Assert.Null(s.BootstrapInterval);
        Assert.Null(s.CoefficientOfVariation);
        Assert.Contains(Descriptive.OneRunNote, s.Notes);
    }

    [Fact]
    public void Summary_of_no_values_throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Descriptive.Summarise([]));
        Assert.StartsWith("no values", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_refuses_NaN_and_infinite_values()
    {
        Assert.Throws<ArgumentException>(() => Descriptive.Summarise([0.9, double.NaN, 0.8]));
        Assert.Throws<ArgumentException>(() => Descriptive.Summarise([0.9, double.PositiveInfinity]));
    }

    [Fact]
    public void Summary_of_identical_values_has_zero_spread_and_a_point_interval()
    {
        // 0.1 + 0.1 + 0.1 is not 3 × 0.1 in binary: the mean must still be exactly 0.1 and the spread exactly 0.
        var s = Descriptive.Summarise([0.1, 0.1, 0.1, 0.1, 0.1, 0.1]);

        Assert.Equal(0.1, s.Mean);
        Assert.Equal(0.0, s.StdDev);
        Assert.Equal(0.0, s.StdError);
        Assert.Equal(new Interval(0.1, 0.1), s.TInterval);
        Assert.Equal(new Interval(0.1, 0.1), s.BootstrapInterval);
        Assert.Equal(0.0, s.CoefficientOfVariation);
        Assert.Contains(Descriptive.ZeroVarianceNote, s.Notes);
        Assert.DoesNotContain(Descriptive.FewSeedsNote, s.Notes);
    }

    [Fact]
    public void Coefficient_of_variation_is_null_when_the_mean_is_zero()
    {
        var s = Descriptive.Summarise([-1.0, 1.0, -2.0, 2.0]);

        Assert.Equal(0.0, s.Mean);
        Assert.Null(s.CoefficientOfVariation);
        Assert.NotNull(s.StdDev);
    }

    [Fact]
    public void Fewer_than_five_seeds_carry_a_caveat_and_five_do_not()
    {
        Assert.Contains(Descriptive.FewSeedsNote, Descriptive.Summarise([1.0, 2.0, 3.0, 4.0]).Notes);
        Assert.DoesNotContain(Descriptive.FewSeedsNote, Descriptive.Summarise([1.0, 2.0, 3.0, 4.0, 5.0]).Notes);
    }

    [Fact]
    public void Variance_stays_accurate_on_a_large_offset()
    {
        var s = Descriptive.Summarise(SeedSamples.LargeOffset);

        // python 3 statistics.mean / statistics.stdev compute in exact fractions: 999999999.9998572, 0.0061030151581853995
        Assert.Equal(999999999.9998572, s.Mean, 1e-6);
        Approx.Equal(0.0061030151581853995, s.StdDev, 1e-12);

        // np.std(a, ddof=1) -> 0.006103015158878404 (numpy's rounding of the mean moves it by 1e-10 relative)
        Approx.Equal(0.006103015158878404, s.StdDev);

        // stats.t.interval(0.95, 6, loc=statistics.mean(a), scale=statistics.stdev(a) / sqrt(7))
        //   -> (999999999.9942129, 1000000000.0055015); doubles near 1e9 are 1.2e-7 apart, so allow two steps
        Assert.Equal(999999999.9942129, s.TInterval!.Low, 2.5e-7);
        Assert.Equal(1000000000.0055015, s.TInterval.High, 2.5e-7);
        Approx.Equal(1000000000.00012, s.Median);
    }

    [Fact]
    public void Order_of_values_does_not_change_the_summary()
    {
        var ordered = Descriptive.Summarise(SeedSamples.Accuracy20);
        var reversed = Descriptive.Summarise(SeedSamples.Accuracy20.Reverse().ToArray());

        Assert.Equal(ordered.Mean, reversed.Mean);
        Assert.Equal(ordered.StdDev, reversed.StdDev);
        Assert.Equal(ordered.TInterval, reversed.TInterval);
        Assert.Equal(ordered.BootstrapInterval, reversed.BootstrapInterval);
        Assert.Equal(ordered.Median, reversed.Median);
    }
}
