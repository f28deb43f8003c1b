using System.Globalization;
using Repro.Model.Verdicts;

namespace Repro.Judging.Comparison;

/// <summary>
/// NumPy .npy arrays element-wise with tolerance, streaming: dtype and shape must match; reports
/// the largest absolute and relative errors, the largest ULP distance, elements out of tolerance
/// and NaN mismatches. Object arrays (pickled) are never unpickled: compared as bytes.
/// </summary>
public sealed class NpyComparer : IFileComparer
{
    public string Name => "npy";

    public bool CanCompare(string path) => Path.GetExtension(path).Equals(".npy", StringComparison.OrdinalIgnoreCase);

    public async Task<ComparisonResult> CompareAsync(string originalPath, string reproducedPath, ComparisonOptions options, CancellationToken cancellationToken)
    {
        await using var a = new FileStream(originalPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        await using var b = new FileStream(reproducedPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var result = await CompareStreamsAsync(a, b, "array", options, cancellationToken);
        if (result.Comparer == "bytes")
        {
            return await BytesComparer.Instance.CompareAsync(originalPath, reproducedPath, options, cancellationToken) with { Detail = result.Detail };
        }

        // The files' hashes differ, so equal values mean the bytes differ elsewhere:
        // header padding, signed zeros, NaN payloads.
        return result.Verdict == Verdict.Identical
            ? result with { Verdict = Verdict.Equivalent, Detail = result.Detail + "; the bytes differ only outside the values (header, signed zeros, NaN payloads)" }
            : result;
    }

    /// <summary>Compares two NPY streams (files, or members of an .npz).</summary>
    internal static async Task<ComparisonResult> CompareStreamsAsync(Stream a, Stream b, string label, ComparisonOptions options, CancellationToken cancellationToken)
    {
        NpyHeader headerA;
        NpyHeader headerB;
        try
        {
            headerA = await NpyHeader.ReadAsync(a, cancellationToken);
        }
        catch (FormatException ex)
        {
            return Invalid("original", ex.Message);
        }

        try
        {
            headerB = await NpyHeader.ReadAsync(b, cancellationToken);
        }
        catch (FormatException ex)
        {
            return Invalid("reproduction", ex.Message);
        }

        if (headerA.Descr != headerB.Descr)
        {
            return new ComparisonResult { Verdict = Verdict.Diverged, Comparer = "npy", Detail = $"{label}: dtype differs: {headerA.Descr} → {headerB.Descr}" };
        }

        if (!headerA.Shape.SequenceEqual(headerB.Shape) || headerA.FortranOrder != headerB.FortranOrder)
        {
            return new ComparisonResult { Verdict = Verdict.Diverged, Comparer = "npy", Detail = $"{label}: shape differs: {headerA.ShapeText}{(headerA.FortranOrder ? " fortran" : string.Empty)} → {headerB.ShapeText}{(headerB.FortranOrder ? " fortran" : string.Empty)}" };
        }

        var type = ElementType.FromNpy(headerA.Descr);
        if (type is null)
        {
            return new ComparisonResult { Verdict = Verdict.Diverged, Comparer = "bytes", Detail = $"{label}: dtype {headerA.Descr} (objects, strings or records) is not compared element-wise and never unpickled: the bytes differ" };
        }

        var stats = new NumericStats(options.Tolerance, options.MaxExamples);
        var truncated = await ArrayDiff.CompareAsync(a, b, headerA.Count, type, stats, label, cancellationToken);
        if (truncated is not null)
        {
            return new ComparisonResult { Verdict = Verdict.Diverged, Comparer = "npy", Detail = truncated };
        }

        var result = stats.Result("npy", $"values in {label} {headerA.Descr} {headerA.ShapeText}");
        return result.Verdict == Verdict.Identical
            ? result with { Detail = string.Create(CultureInfo.InvariantCulture, $"{label} {headerA.Descr} {headerA.ShapeText}: all {stats.Compared} values equal") }
            : result with { Detail = string.Create(CultureInfo.InvariantCulture, $"{label} {headerA.Descr} {headerA.ShapeText}: ") + result.Detail };
    }

    private static ComparisonResult Invalid(string which, string message) =>
        new() { Verdict = Verdict.Diverged, Comparer = "npy", Detail = $"the {which} is not a valid NPY file: {message}" };
}
