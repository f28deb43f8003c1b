using Repro.Platform.Statistics;

namespace Repro.Tests.Statistics;

public sealed class StudentTCriticalTests
{
    [Fact]
    public void Critical_value_stays_within_1e_9_of_scipy_t_ppf_for_integer_df()
    {
        // stats.t.ppf(0.975, 19) -> 2.093024054408263; stats.t.ppf(0.975, 1) -> 12.706204736432095
        Approx.Equal(2.093024054408263, StudentTCritical.Upper975(19));
        Approx.Equal(12.706204736432095, StudentTCritical.Upper975(1));
    }

    [Theory]
    // scipy 1.10.1: -optimize.brentq(lambda x: stats.t.cdf(x, df) - 0.025, -1000, 0, xtol=1e-300, rtol=8.9e-16),
    // the quantile solved on SciPy's CDF. stats.t.ppf(0.975, df) itself (cdflib) is off from these by up to
    // 2.2e-9 relative for fractional df: 44.22729549070776 -> 2.015075070059729, 1.7422680412371134 -> 4.974030923133013.
    [InlineData(1.0, 12.706204736174703)]
    [InlineData(2.0, 4.302652729749464)]
    [InlineData(3.0, 3.1824463052837086)]
    [InlineData(4.0, 2.7764451051977943)]
    [InlineData(9.0, 2.2621571627982053)]
    [InlineData(19.0, 2.0930240544083096)]
    [InlineData(29.0, 2.0452296421327048)]
    [InlineData(1.7422680412371134, 4.974030922318483)]
    [InlineData(7.3456, 2.342257245893735)]
    [InlineData(44.22729549070776, 2.015075074474882)]
    [InlineData(1000.0, 1.9623390808264083)]
    public void Critical_value_matches_the_quantile_solved_on_the_scipy_cdf_to_machine_precision(double df, double expected)
    {
        Approx.Equal(expected, StudentTCritical.Upper975(df), 1e-13);
    }
}
