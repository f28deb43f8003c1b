namespace Repro.Tests.Statistics;

/// <summary>Relative comparison against reference values computed with SciPy/NumPy.</summary>
internal static class Approx
{
    public const double Relative = 1e-9;

    public static void Equal(double expected, double actual, double relative = Relative)
    {
        var scale = Math.Max(Math.Abs(expected), Math.Abs(actual));
        Assert.True(
            Math.Abs(expected - actual) <= relative * scale,
            FormattableString.Invariant($"expected {expected:R}, got {actual:R} (relative error {Math.Abs(expected - actual) / scale:G3}, allowed {relative:G3})"));
    }

    public static void Equal(double expected, double? actual, double relative = Relative)
    {
        Assert.NotNull(actual);
        Equal(expected, actual.Value, relative);
    }
}
