using System.Globalization;

namespace Repro.Tests.Shared;

/// <summary>The latencies of one kind of request: count, errors and nearest-rank percentiles in milliseconds.</summary>
public sealed record LatencySummary
{
    public required string Operation { get; init; }

    public required int Requests { get; init; }

    public required int Errors { get; init; }

    public required double Mean { get; init; }

    public required double P50 { get; init; }

    public required double P95 { get; init; }

    public required double P99 { get; init; }

    public required double Max { get; init; }

    /// <summary>The first error seen, to say why (null when none).</summary>
    public string? FirstError { get; init; }

    public static LatencySummary Of(string operation, IReadOnlyList<double> milliseconds, int errors, string? firstError)
    {
        var sorted = milliseconds.Order().ToArray();
        double Rank(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new LatencySummary
        {
            Operation = operation,
            Requests = sorted.Length + errors,
            Errors = errors,
            Mean = sorted.Length == 0 ? double.NaN : sorted.Average(),
            P50 = Rank(0.50),
            P95 = Rank(0.95),
            P99 = Rank(0.99),
            Max = sorted.Length == 0 ? double.NaN : sorted[^1],
            FirstError = firstError,
        };
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Operation}: {Requests:N0} requests, {Errors} errors, p50 {P50:0.0} ms, p95 {P95:0.0} ms, p99 {P99:0.0} ms, mean {Mean:0.0} ms, max {Max:0.0} ms");
}
