using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Repro.Comparison;

/// <summary>
/// Element-wise comparison of two arrays streamed in chunks: bounded memory whatever the size.
/// Little-endian float32/float64 take a fast path (bitwise-equal runs skipped a vector at a time).
/// </summary>
internal static class ArrayDiff
{
    private const int ChunkBytes = 1 << 20;

    /// <summary>Compares <paramref name="count"/> elements read from both streams.</summary>
    public static async Task<string?> CompareAsync(Stream a, Stream b, long count, ElementType type, NumericStats stats, string label, CancellationToken cancellationToken)
    {
        var chunkElements = ChunkBytes / type.Size;
        var bufferA = ArrayPool<byte>.Shared.Rent(chunkElements * type.Size);
        var bufferB = ArrayPool<byte>.Shared.Rent(chunkElements * type.Size);
        try
        {
            long done = 0;
            while (done < count)
            {
                var n = (int)Math.Min(chunkElements, count - done);
                var bytes = n * type.Size;
                var readA = await a.ReadAtLeastAsync(bufferA.AsMemory(0, bytes), bytes, throwOnEndOfStream: false, cancellationToken);
                var readB = await b.ReadAtLeastAsync(bufferB.AsMemory(0, bytes), bytes, throwOnEndOfStream: false, cancellationToken);
                if (readA < bytes || readB < bytes)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"{(readA < bytes ? "the original" : "the reproduction")} is truncated: {label} ends after {done + (Math.Min(readA, readB) / type.Size)} of {count} elements");
                }

                CompareChunk(bufferA.AsSpan(0, bytes), bufferB.AsSpan(0, bytes), n, done, type, stats, label);
                done += n;
            }

            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bufferA);
            ArrayPool<byte>.Shared.Return(bufferB);
        }
    }

    private static void CompareChunk(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int n, long offset, ElementType type, NumericStats stats, string label)
    {
        var start = 0;
        while (start < n)
        {
            // Skip the bitwise-equal stretch in one vectorised call.
            var same = a[(start * type.Size)..].CommonPrefixLength(b[(start * type.Size)..]) / type.Size;
            start += same;
            if (start >= n)
            {
                break;
            }

            if (type is { Kind: 'f', Size: 4, BigEndian: false })
            {
                var x = MemoryMarshal.Cast<byte, float>(a)[start];
                var y = MemoryMarshal.Cast<byte, float>(b)[start];
                Record(x, y, offset + start, type, stats, label);
            }
            else if (type is { Kind: 'f', Size: 8, BigEndian: false })
            {
                var x = MemoryMarshal.Cast<byte, double>(a)[start];
                var y = MemoryMarshal.Cast<byte, double>(b)[start];
                Record(x, y, offset + start, type, stats, label);
            }
            else
            {
                Record(type.Read(a, start), type.Read(b, start), offset + start, type, stats, label);
            }

            start++;
        }

        // Count the equal elements too, so "compared" is the whole array.
        stats.CountEqual(n);
    }

    private static void Record(double x, double y, long index, ElementType type, NumericStats stats, string label)
    {
        stats.AddDifferent(x, y, string.Create(CultureInfo.InvariantCulture, $"{label}[{index}]"));
        stats.AddUlp(type.Ulp(x, y));
    }
}
