using Repro.Platform.Statistics;

namespace Repro.Tests.Statistics;

/// <summary>The exact null distribution of U, checked against scipy 1.10.1 stats.mannwhitneyu(method='exact').</summary>
public sealed class MannWhitneyTests
{
    [Fact]
    public void Arrangement_counts_for_two_and_two_are_the_textbook_ones()
    {
        // the 6 orderings of two x and two y give U = 0, 1, 2, 2, 3, 4
        Assert.Equal([1L, 1, 2, 1, 1], MannWhitney.ArrangementCounts(2, 2));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(20, 20)]
    [InlineData(25, 22)]
    [InlineData(30, 30)]
    public void Arrangement_counts_are_symmetric_and_sum_to_the_binomial_coefficient(int m, int n)
    {
        var counts = MannWhitney.ArrangementCounts(m, n);

        Assert.Equal((m * n) + 1, counts.Length);
        Assert.All(counts, c => Assert.True(c > 0));
        Assert.Equal(counts, counts.Reverse().ToArray());
        var binomial = 1.0m;
        for (var i = 1; i <= m; i++)
        {
            binomial = binomial * (n + i) / i;
        }

        Assert.Equal(binomial, counts.Sum(c => (decimal)c));
    }

    [Theory]
    // scipy 1.10.1: np.clip(2 * scipy.stats._mannwhitneyu._mwu_state.sf(max(U, m*n - U), m, n), 0, 1),
    // the function stats.mannwhitneyu(x, y, method='exact') ends in for a statistic U
    [InlineData(0.0, 1, 1, 1.0)]
    [InlineData(9.0, 3, 3, 0.1)]
    [InlineData(0.0, 4, 4, 0.02857142857142857)]
    [InlineData(7.0, 4, 5, 0.5555555555555556)]
    [InlineData(150.0, 20, 20, 0.18263083855287748)]
    [InlineData(100.0, 20, 20, 0.006144955649235766)]
    [InlineData(200.0, 20, 20, 1.0)]
    [InlineData(340.0, 20, 20, 6.909214241032201e-05)]
    public void Exact_p_matches_scipy(double u, int m, int n, double expected)
    {
        Approx.Equal(expected, MannWhitney.ExactP(u, m, n));
    }

    [Fact]
    public void U_counts_pairs_with_ties_as_half()
    {
        // stats.mannwhitneyu([1, 2, 2, 5], [2, 3], method='asymptotic').statistic -> 3.0; tie term: one triple, 3³ − 3 = 24
        var (u, tieTerm) = MannWhitney.Statistic([1.0, 2.0, 2.0, 5.0], [2.0, 3.0]);

        Assert.Equal(3.0, u);
        Assert.Equal(24.0, tieTerm);
    }
}
