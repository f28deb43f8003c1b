using Repro.Platform.Statistics;

namespace Repro.Tests.Statistics;

/// <summary>Expected values: numpy 1.24.2, np.percentile(a, 100·p) with the default method='linear'.</summary>
public sealed class QuantileTests
{
    [Theory]
    [InlineData(0.0, 0.8966)]
    [InlineData(0.025, 0.8981675)]
    [InlineData(0.05, 0.8997350000000001)]
    [InlineData(0.25, 0.902625)]
    [InlineData(0.333, 0.9045289)]
    [InlineData(0.5, 0.90585)]
    [InlineData(0.95, 0.91239)]
    [InlineData(0.975, 0.914195)]
    [InlineData(1.0, 0.916)]
    public void Quantile_matches_numpy_percentile_on_unsorted_values(double p, double expected)
    {
        Approx.Equal(expected, Descriptive.Quantile(SeedSamples.Accuracy20, p), 1e-15);
    }

    [Theory]
    [InlineData(0.0, -4.0)]
    [InlineData(0.025, -3.78125)]
    [InlineData(0.25, -2.0625)]
    [InlineData(0.333, -1.7512500000000002)]
    [InlineData(0.5, -1.0)]
    [InlineData(0.95, 2.53125)]
    [InlineData(0.975, 2.828125)]
    [InlineData(1.0, 3.125)]
    public void Quantile_matches_numpy_percentile_on_negative_values(double p, double expected)
    {
        Approx.Equal(expected, Descriptive.Quantile(SeedSamples.Negative, p), 1e-15);
    }

    [Theory]
    [InlineData(0.025, 0.29723750000000004)]
    [InlineData(0.95, 0.6224899999999999)]
    [InlineData(0.975, 0.6535274999999999)]
    public void Quantile_reproduces_numpy_to_the_last_bit(double p, double expected)
    {
        // np.percentile(a, 2.5 / 95 / 97.5) on the 30-value sample; numpy's two-sided lerp gives these exact doubles
        Assert.Equal(expected, Descriptive.Quantile(SeedSamples.Values30, p));
    }

    [Fact]
    public void Quantile_of_two_values_interpolates_linearly()
    {
        // np.percentile([3.0, 5.5], [2.5, 33.3, 97.5]) -> 3.0625, 3.8325, 5.4375
        Approx.Equal(3.0625, Descriptive.Quantile([5.5, 3.0], 0.025), 1e-15);
        Approx.Equal(3.8325, Descriptive.Quantile([5.5, 3.0], 0.333), 1e-15);
        Approx.Equal(5.4375, Descriptive.Quantile([5.5, 3.0], 0.975), 1e-15);
    }

    [Fact]
    public void Quantile_of_one_value_is_that_value()
    {
        Assert.Equal(7.0, Descriptive.Quantile([7.0], 0.0));
        Assert.Equal(7.0, Descriptive.Quantile([7.0], 0.5));
        Assert.Equal(7.0, Descriptive.Quantile([7.0], 1.0));
    }

    [Fact]
    public void Quantile_refuses_an_empty_list_and_p_outside_0_to_1()
    {
        Assert.Throws<ArgumentException>(() => Descriptive.Quantile([], 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Descriptive.Quantile([1.0], 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Descriptive.Quantile([1.0], -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Descriptive.Quantile([1.0], double.NaN));
    }
}
