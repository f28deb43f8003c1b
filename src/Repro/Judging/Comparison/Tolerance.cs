using System.Globalization;

namespace Repro.Judging.Comparison;

/// <summary>
/// numpy.isclose with the original as reference: |reproduced − original| ≤ atol + rtol·|original|.
/// NaN equals NaN (same position); infinities must match exactly.
/// </summary>
public sealed record Tolerance(double Rtol, double Atol)
{
    public static Tolerance Default { get; } = new(1e-5, 1e-8);

    public static Tolerance Exact { get; } = new(0, 0);

    public bool Within(double original, double reproduced)
    {
        if (double.IsNaN(original) || double.IsNaN(reproduced))
        {
            return double.IsNaN(original) && double.IsNaN(reproduced);
        }

        if (double.IsInfinity(original) || double.IsInfinity(reproduced))
        {
            return original.Equals(reproduced);
        }

        return Math.Abs(reproduced - original) <= Atol + (Rtol * Math.Abs(original));
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"rtol={Rtol:R}, atol={Atol:R}");
}
