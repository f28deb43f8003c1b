using Repro.Platform.Statistics;

namespace Repro.Tests.Statistics;

/// <summary>
/// Percentiles: scipy 1.10.1 stats.percentileofscore(values, claim, kind='mean') (100 minus it for
/// lower-is-better); thresholds: numpy 1.24.2 np.percentile(values, 95) / 5 and
/// stats.t.interval(0.95, n - 1, loc=np.mean(values), scale=stats.sem(values)).
/// </summary>
public sealed class ClaimCheckTests
{
    /// <summary>Validation losses of ten seeds, lower is better.</summary>
    private static readonly double[] Losses = [0.412, 0.398, 0.405, 0.421, 0.401, 0.415, 0.409, 0.399, 0.418, 0.403];

    private static ClaimPlacement Place(double[] values, double claim, bool higherIsBetter = true) =>
        ClaimCheck.Place(values, claim, higherIsBetter, Descriptive.Summarise(values));

    [Fact]
    public void A_claim_above_every_seed_is_a_likely_cherry_pick()
    {
        // percentileofscore(a, 0.9165, kind='mean') -> 100.0; np.percentile(a, 95) -> 0.91239; t-interval -> (0.90392, 0.90829)
        var p = Place(SeedSamples.Accuracy20, 0.9165);

        Assert.Equal(20, p.N);
        Assert.Equal(20, p.Worse);
        Assert.Equal(0, p.Ties);
        Assert.Equal(0, p.Better);
        Assert.Equal(100.0, p.Percentile);
        Assert.True(p.BeyondP95);
        Assert.True(p.OutsideTInterval);
        Assert.True(p.LikelyCherryPick);
        Assert.Equal("the claimed value 0.9165 is better than 20 of 20 seeds (100th percentile) and outside the 95% t-interval [0.9039, 0.9083]: a likely cherry-pick", p.Message);
    }

    [Fact]
    public void A_claim_in_the_middle_lies_within_the_seed_distribution()
    {
        // percentileofscore(a, 0.9061, kind='mean') -> 50.0
        var p = Place(SeedSamples.Accuracy20, 0.9061);

        Assert.Equal(50.0, p.Percentile);
        Assert.Equal(10, p.Worse);
        Assert.Equal(10, p.Better);
        Assert.False(p.BeyondP95);
        Assert.False(p.OutsideTInterval);
        Assert.False(p.LikelyCherryPick);
        Assert.Equal("the claimed value 0.9061 lies within the seed distribution (50th percentile)", p.Message);
    }

    [Fact]
    public void Ties_count_half_as_in_percentileofscore_kind_mean()
    {
        // 0.9053 occurs twice: percentileofscore(a, 0.9053, kind='mean') -> 45.0
        var p = Place(SeedSamples.Accuracy20, 0.9053);

        Assert.Equal(8, p.Worse);
        Assert.Equal(2, p.Ties);
        Assert.Equal(10, p.Better);
        Assert.Equal(45.0, p.Percentile);
        Assert.Equal("the claimed value 0.9053 lies within the seed distribution (45th percentile)", p.Message);
    }

    [Theory]
    [InlineData(0.91, 80.0)]
    [InlineData(0.8966, 2.5)]
    [InlineData(0.89, 0.0)]
    public void Percentile_matches_scipy_percentileofscore_for_higher_is_better(double claim, double expected)
    {
        // percentileofscore(a, 0.91 / 0.8966 / 0.89, kind='mean') -> 80.0 / 2.5 / 0.0
        Approx.Equal(expected, Place(SeedSamples.Accuracy20, claim).Percentile, 1e-15);
    }

    [Theory]
    [InlineData(0.395, 100.0)]
    [InlineData(0.401, 75.0)]
    [InlineData(0.41, 40.0)]
    public void Percentile_is_mirrored_for_lower_is_better(double claim, double expected)
    {
        // 100 - percentileofscore(losses, 0.395 / 0.401 / 0.41, kind='mean') -> 100.0 / 75.0 / 40.0
        Approx.Equal(expected, Place(Losses, claim, higherIsBetter: false).Percentile, 1e-15);
    }

    [Fact]
    public void A_loss_below_every_seed_is_a_likely_cherry_pick_when_lower_is_better()
    {
        // np.percentile(losses, 5) -> 0.39845; t-interval -> (0.40226, 0.41394)
        var p = Place(Losses, 0.395, higherIsBetter: false);

        Assert.Equal(10, p.Worse);
        Assert.Equal(0, p.Better);
        Assert.True(p.BeyondP95);
        Assert.True(p.OutsideTInterval);
        Assert.True(p.LikelyCherryPick);
        Assert.Equal("the claimed value 0.395 is better than 10 of 10 seeds (100th percentile) and outside the 95% t-interval [0.4023, 0.4139]: a likely cherry-pick", p.Message);

        var high = Place(Losses, 0.425, higherIsBetter: false);
        Assert.False(high.LikelyCherryPick);
        Assert.Equal(0.0, high.Percentile);
    }

    [Fact]
    public void Beyond_the_95th_percentile_but_inside_the_t_interval_is_still_flagged()
    {
        // np.percentile([1, 2, 3, 10, 11], 95) -> 10.8; t-interval -> (-0.4635, 11.2635); percentileofscore(v, 11, kind='mean') -> 90.0
        var p = Place([1.0, 2.0, 3.0, 10.0, 11.0], 11.0);

        Assert.Equal(90.0, p.Percentile);
        Assert.Equal(1, p.Ties);
        Assert.True(p.BeyondP95);
        Assert.False(p.OutsideTInterval);
        Assert.True(p.LikelyCherryPick);
        Assert.Equal("the claimed value 11 is better than 4 of 5 seeds and equal to 1 (90th percentile), beyond the seeds' 95th percentile: a likely cherry-pick", p.Message);
    }

    [Fact]
    public void Outside_the_t_interval_but_below_the_95th_percentile_is_flagged()
    {
        // t-interval high -> 0.9082933167193089 < 0.91 < np.percentile(a, 95) -> 0.91239; percentileofscore -> 80.0
        var p = Place(SeedSamples.Accuracy20, 0.91);

        Assert.False(p.BeyondP95);
        Assert.True(p.OutsideTInterval);
        Assert.True(p.LikelyCherryPick);
        Assert.Equal("the claimed value 0.91 is better than 16 of 20 seeds (80th percentile) and outside the 95% t-interval [0.9039, 0.9083]: a likely cherry-pick", p.Message);
    }

    [Fact]
    public void One_seed_has_no_t_interval_to_be_outside_of()
    {
        var p = Place([0.9], 0.95);

        Assert.False(p.OutsideTInterval);
        Assert.True(p.BeyondP95);
        Assert.Equal(100.0, p.Percentile);
    }

    [Fact]
    public void A_summary_of_other_values_is_refused()
    {
        var summary = Descriptive.Summarise([1.0, 2.0]);

        Assert.Throws<ArgumentException>(() => ClaimCheck.Place([1.0, 2.0, 3.0], 2.5, true, summary));
        Assert.Throws<ArgumentException>(() => ClaimCheck.Place([], 2.5, true, summary));
        Assert.Throws<ArgumentException>(() => ClaimCheck.Place([1.0, 2.0], double.NaN, true, summary));
    }

    [Theory]
    [InlineData(97.5, "97.5th")]
    [InlineData(55.0, "55th")]
    [InlineData(1.0, "1st")]
    [InlineData(2.0, "2nd")]
    [InlineData(3.0, "3rd")]
    [InlineData(11.0, "11th")]
    [InlineData(12.0, "12th")]
    [InlineData(13.0, "13th")]
    [InlineData(22.0, "22nd")]
    [InlineData(100.0, "100th")]
    [InlineData(0.0, "0th")]
    [InlineData(33.33333, "33.3th")]
    public void Percentiles_are_written_as_ordinals(double percentile, string expected)
    {
        Assert.Equal(expected, ClaimCheck.Ordinal(percentile));
    }
}
