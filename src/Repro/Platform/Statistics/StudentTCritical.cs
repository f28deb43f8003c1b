using MathNet.Numerics.Distributions;

namespace Repro.Platform.Statistics;

/// <summary>
/// t(0.975, df), the multiplier of a 95% interval. MathNet's StudentT.InvCDF stops its root search up
/// to ~1e-9 (relative) short of the quantile, which shows in an interval end near zero; one Newton step
/// on MathNet's own CDF and density (which agree with scipy.stats.t.cdf to ~1e-15) lands on the quantile.
/// SciPy 1.10's t.ppf is itself off by up to 2e-9 for fractional df, so the tests solve it on SciPy's CDF.
/// </summary>
internal static class StudentTCritical
{
    public static double Upper975(double df)
    {
        // Solve on the lower tail, CDF(−x) = 0.025, where doubles resolve the probability finely.
        var x = StudentT.InvCDF(0, 1, df, 0.975);
        var step = (StudentT.CDF(0, 1, df, -x) - 0.025) / StudentT.PDF(0, 1, df, -x);
        return double.IsFinite(step) ? x + step : x;
    }
}
