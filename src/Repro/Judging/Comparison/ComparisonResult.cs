using Repro.Model.Verdicts;

namespace Repro.Judging.Comparison;

/// <summary>
/// The judgement of one output: a value, never an exception, with the evidence a reviewer needs
/// (which comparer, what differs and where, the largest deviations).
/// </summary>
public sealed record ComparisonResult
{
    public required Verdict Verdict { get; init; }

    /// <summary>bytes, text, json, yaml, csv, npy, npz, safetensors, dir.</summary>
    public required string Comparer { get; init; }

    /// <summary>One or a few sentences: where the first differences are, or why it could not compare.</summary>
    public required string Detail { get; init; }

    public double? MaxAbsError { get; init; }

    public double? MaxRelError { get; init; }

    /// <summary>Largest distance in units in the last place, for floating-point arrays.</summary>
    public long? MaxUlp { get; init; }

    /// <summary>Elements (array elements, numeric cells, JSON numbers) compared.</summary>
    public long? Compared { get; init; }

    /// <summary>Elements outside tolerance.</summary>
    public long? OutOfTolerance { get; init; }

    /// <summary>For label/decision columns: share of rows whose value did not change (1 − churn).</summary>
    public double? AgreementRate { get; init; }

    /// <summary>For label/decision columns: rows whose value changed.</summary>
    public long? Flips { get; init; }
}
