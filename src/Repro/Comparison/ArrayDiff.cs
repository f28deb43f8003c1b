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
        var acc = new Accumulator(stats.Tolerance);
        if (type is { Kind: 'f', Size: 4, BigEndian: false })
        {
            var x = MemoryMarshal.Cast<byte, float>(a);
            var y = MemoryMarshal.Cast<byte, float>(b);
            var ix = MemoryMarshal.Cast<byte, int>(a);
            var iy = MemoryMarshal.Cast<byte, int>(b);
            for (var i = 0; i < n; i++)
            {
                if (ix[i] != iy[i] && acc.Add(x[i], y[i], Math.Abs((long)Ordered(ix[i]) - Ordered(iy[i]))) && stats.WantsExample)
                {
                    stats.Example(Example(label, offset + i, x[i], y[i]));
                }
            }
        }
        else if (type is { Kind: 'f', Size: 8, BigEndian: false })
        {
            var x = MemoryMarshal.Cast<byte, double>(a);
            var y = MemoryMarshal.Cast<byte, double>(b);
            var ix = MemoryMarshal.Cast<byte, long>(a);
            var iy = MemoryMarshal.Cast<byte, long>(b);
            for (var i = 0; i < n; i++)
            {
                if (ix[i] != iy[i] && acc.Add(x[i], y[i], Math.Abs(Ordered(ix[i]) - Ordered(iy[i]))) && stats.WantsExample)
                {
                    stats.Example(Example(label, offset + i, x[i], y[i]));
                }
            }
        }
        else
        {
            for (var i = 0; i < n; i++)
            {
                if (a.Slice(i * type.Size, type.Size).SequenceEqual(b.Slice(i * type.Size, type.Size)))
                {
                    continue;
                }

                var x = type.Read(a, i);
                var y = type.Read(b, i);
                if (acc.Add(x, y, type.Ulp(x, y)) && stats.WantsExample)
                {
                    stats.Example(Example(label, offset + i, x, y));
                }
            }
        }

        stats.Merge(n, acc.Differing, acc.OutOfTolerance, acc.NanMismatches, acc.MaxAbs, acc.MaxRel, acc.MaxUlp);
    }

    private static string Example(string label, long index, double x, double y) =>
        string.Create(CultureInfo.InvariantCulture, $"{label}[{index}]: {x:R} → {y:R}");

    private static long Ordered(long bits) => bits < 0 ? long.MinValue - bits : bits;

    private static int Ordered(int bits) => bits < 0 ? int.MinValue - bits : bits;

    /// <summary>Per-chunk counters kept in registers; merged into the stats once per chunk.</summary>
    private struct Accumulator(Tolerance tolerance)
    {
        public long Differing;
        public long OutOfTolerance;
        public long NanMismatches;
        public double MaxAbs;
        public double MaxRel;
        public long MaxUlp;

        /// <summary>Adds a bitwise-different pair; returns true when it is outside tolerance.</summary>
        public bool Add(double x, double y, long ulp)
        {
            if (x == y)
            {
                // -0.0 and 0.0, or equal after widening: same value.
                return false;
            }

            if (double.IsNaN(x) || double.IsNaN(y))
            {
                if (double.IsNaN(x) && double.IsNaN(y))
                {
                    return false;
                }

                Differing++;
                NanMismatches++;
                OutOfTolerance++;
                return true;
            }

            Differing++;
            if (double.IsInfinity(x) || double.IsInfinity(y))
            {
                OutOfTolerance++;
                return true;
            }

            var abs = Math.Abs(y - x);
            var magnitude = Math.Abs(x);
            MaxAbs = Math.Max(MaxAbs, abs);
            if (magnitude > 0)
            {
                MaxRel = Math.Max(MaxRel, abs / magnitude);
            }

            MaxUlp = Math.Max(MaxUlp, ulp);
            if (abs <= tolerance.Atol + (tolerance.Rtol * magnitude))
            {
                return false;
            }

            OutOfTolerance++;
            return true;
        }
    }
}
