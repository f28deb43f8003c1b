using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using Repro.Model.Serialization;
using Repro.Model.Verdicts;

namespace Repro.Judging.Comparison;

/// <summary>
/// .safetensors files: an 8-byte little-endian header length, a JSON header naming each tensor's
/// dtype, shape and byte range, then the raw data. Same tensor names, dtypes and shapes, then
/// element-wise with tolerance.
/// </summary>
public sealed class SafetensorsComparer : IFileComparer
{
    public string Name => "safetensors";

    public bool CanCompare(string path) => Path.GetExtension(path).Equals(".safetensors", StringComparison.OrdinalIgnoreCase);

    public async Task<ComparisonResult> CompareAsync(string originalPath, string reproducedPath, ComparisonOptions options, CancellationToken cancellationToken)
    {
        Dictionary<string, Tensor> a;
        Dictionary<string, Tensor> b;
        try
        {
            a = await ReadHeaderAsync(originalPath, cancellationToken);
        }
        catch (FormatException ex)
        {
            return Invalid("original", ex.Message);
        }

        try
        {
            b = await ReadHeaderAsync(reproducedPath, cancellationToken);
        }
        catch (FormatException ex)
        {
            return Invalid("reproduction", ex.Message);
        }

        if (!a.Keys.Order(StringComparer.Ordinal).SequenceEqual(b.Keys.Order(StringComparer.Ordinal)))
        {
            return new ComparisonResult
            {
                Verdict = Verdict.Diverged,
                Comparer = Name,
                Detail = $"tensors differ: removed [{string.Join(", ", a.Keys.Except(b.Keys))}], added [{string.Join(", ", b.Keys.Except(a.Keys))}]",
            };
        }

        var stats = new NumericStats(options.Tolerance, options.MaxExamples);
        await using var streamA = new FileStream(originalPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        await using var streamB = new FileStream(reproducedPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        foreach (var name in a.Keys.Order(StringComparer.Ordinal))
        {
            var x = a[name];
            var y = b[name];
            if (x.DType != y.DType || !x.Shape.SequenceEqual(y.Shape))
            {
                stats.AddOther($"{name}: {x.DType} {Shape(x.Shape)} → {y.DType} {Shape(y.Shape)}");
                continue;
            }

            var type = ElementType.FromSafetensors(x.DType);
            if (type is null)
            {
                stats.AddOther($"{name}: dtype {x.DType} is not compared element-wise");
                continue;
            }

            var count = ElementCount(x.Shape);
            if (count is null || x.End - x.Begin != count * type.Size || y.End - y.Begin != count * type.Size)
            {
                stats.AddOther($"{name}: byte range does not match its dtype and shape");
                continue;
            }

            streamA.Position = x.DataStart + x.Begin;
            streamB.Position = y.DataStart + y.Begin;
            var truncated = await ArrayDiff.CompareAsync(streamA, streamB, count.Value, type, stats, name, cancellationToken);
            if (truncated is not null)
            {
                return new ComparisonResult { Verdict = Verdict.Diverged, Comparer = Name, Detail = truncated };
            }
        }

        var result = stats.Result(Name, "tensors");
        return result.Verdict == Verdict.Identical
            ? result with { Verdict = Verdict.Equivalent, Detail = string.Create(CultureInfo.InvariantCulture, $"all {stats.Compared} values of {a.Count} tensors equal; the bytes differ in the header or layout") }
            : result;
    }

    private sealed record Tensor(string DType, IReadOnlyList<long> Shape, long Begin, long End, long DataStart);

    private static async Task<Dictionary<string, Tensor>> ReadHeaderAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 12);
        var prefix = new byte[8];
        if (await stream.ReadAtLeastAsync(prefix, 8, throwOnEndOfStream: false, cancellationToken) < 8)
        {
            throw new FormatException("shorter than the 8-byte header length");
        }

        var length = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        var maxHeader = ArrayHeaderLimits.MaxSafetensorsHeaderBytes;
        if (length > (ulong)maxHeader.Value)
        {
            throw new InputLimitException("safetensors header", string.Create(CultureInfo.InvariantCulture, $"{length} bytes declared"), maxHeader);
        }

        if ((long)length > stream.Length - 8)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"header length {length} does not fit in a file of {stream.Length} bytes (truncated?)"));
        }

        var header = new byte[length];
        await stream.ReadExactlyAsync(header, cancellationToken);
        var dataStart = 8 + (long)length;
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            using var document = BoundedJson.Parse(header, "safetensors header", maxBytes: maxHeader);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    continue;
                }

                var value = property.Value;
                var offsets = value.GetProperty("data_offsets");
                var tensor = new Tensor(
                    value.GetProperty("dtype").GetString() ?? string.Empty,
                    value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToList(),
                    offsets[0].GetInt64(),
                    offsets[1].GetInt64(),
                    dataStart);
                if (tensor.Begin < 0 || tensor.End < tensor.Begin || dataStart + tensor.End > stream.Length)
                {
                    throw new FormatException($"tensor {property.Name} lies outside the file (truncated?)");
                }

                tensors[property.Name] = tensor;
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw new FormatException($"malformed header: {ex.Message}", ex);
        }

        return tensors;
    }

    /// <summary>Elements in a tensor of <paramref name="shape"/>; null when a dimension is negative or the product overflows (a hostile header).</summary>
    private static long? ElementCount(IReadOnlyList<long> shape)
    {
        long count = 1;
        foreach (var dimension in shape)
        {
            if (dimension < 0 || (dimension != 0 && count > long.MaxValue / dimension / 16))
            {
                return null;
            }

            count *= dimension;
        }

        return count;
    }

    private static string Shape(IReadOnlyList<long> shape) => "[" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";

    private ComparisonResult Invalid(string which, string message) =>
        new() { Verdict = Verdict.Diverged, Comparer = Name, Detail = $"the {which} is not a valid safetensors file: {message}" };
}
