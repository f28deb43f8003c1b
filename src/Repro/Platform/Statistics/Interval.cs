namespace Repro.Platform.Statistics;

/// <summary>A 95% interval, low end first; a value rather than a pair so reports can say "no interval" with null.</summary>
public sealed record Interval(double Low, double High)
{
    public bool Contains(double value) => value >= Low && value <= High;
}
