using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Repro.Judging.Comparison;

/// <summary>
/// Element-wise comparison of two arrays streamed in chunks: bounded memory whatever the size.
/// Little-endian float32/float64 take a fast path (bitwise-equal runs skipped a vector at a time).
/// </summary>
internal static class ArrayDiff
{
    private const int ChunkBytes = 4 << 20;

    /// <summary>
    /// Compares <paramref name="count"/> elements read from both streams. Both streams are read
    /// at once and the next chunks are read while the current ones are compared.
    /// </summary>
    public static async Task<string?> CompareAsync(Stream a, Stream b, long count, ElementType type, NumericStats stats, string label, CancellationToken cancellationToken)
    {
        var chunkElements = ChunkBytes / type.Size;
        var size = chunkElements * type.Size;
        byte[][] buffers = [ArrayPool<byte>.Shared.Rent(size), ArrayPool<byte>.Shared.Rent(size), ArrayPool<byte>.Shared.Rent(size), ArrayPool<byte>.Shared.Rent(size)];
        try
        {
            long done = 0;
            var current = 0;
            var n = (int)Math.Min(chunkElements, count);
            var pending = ReadPairAsync(a, b, buffers[0], buffers[1], n * type.Size, cancellationToken);
            while (done < count)
            {
                var (readA, readB) = await pending;
                var bytes = n * type.Size;
                if (readA < bytes || readB < bytes)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"{(readA < bytes ? "the original" : "the reproduction")} is truncated: {label} ends after {done + (Math.Min(readA, readB) / type.Size)} of {count} elements");
                }

                var next = (int)Math.Min(chunkElements, count - done - n);
                var other = 2 - current;
                pending = next > 0 ? ReadPairAsync(a, b, buffers[other], buffers[other + 1], next * type.Size, cancellationToken) : Task.FromResult((0, 0));
                CompareChunk(buffers[current].AsSpan(0, bytes), buffers[current + 1].AsSpan(0, bytes), n, done, type, stats, label);
                done += n;
                n = next;
                current = other;
            }

            await pending;
            return null;
        }
        finally
        {
            foreach (var buffer in buffers)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static async Task<(int A, int B)> ReadPairAsync(Stream a, Stream b, byte[] bufferA, byte[] bufferB, int bytes, CancellationToken cancellationToken)
    {
        var readA = Task.Run(async () => await a.ReadAtLeastAsync(bufferA.AsMemory(0, bytes), bytes, throwOnEndOfStream: false, cancellationToken), cancellationToken);
        var readB = await b.ReadAtLeastAsync(bufferB.AsMemory(0, bytes), bytes, throwOnEndOfStream: false, cancellationToken);
        return (await readA, readB);
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
            var i = Vector.IsHardwareAccelerated ? CompareFloat32Vectors(x[..n], y[..n], ref acc, stats, label, offset) : 0;
            for (; i < n; i++)
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

    /// <summary>
    /// float32 a vector at a time: the tolerance test, counts and maxima without a branch per
    /// element. Blocks holding NaN or infinities, or out-of-tolerance elements while examples
    /// are still wanted, are redone by the scalar path. Returns how many elements it handled.
    /// </summary>
    private static int CompareFloat32Vectors(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ref Accumulator acc, NumericStats stats, string label, long offset)
    {
        var width = Vector<float>.Count;
        var rtol = new Vector<float>((float)stats.Tolerance.Rtol);
        var atol = new Vector<float>((float)stats.Tolerance.Atol);
        var maxAbs = Vector<float>.Zero;
        var maxRel = Vector<float>.Zero;
        var maxUlp = Vector<int>.Zero;
        var differing = Vector<int>.Zero;
        var outside = Vector<int>.Zero;
        var i = 0;
        for (; i + width <= x.Length; i += width)
        {
            var va = new Vector<float>(x[i..]);
            var vb = new Vector<float>(y[i..]);
            if (va == vb)
            {
                continue;
            }

            var finite = Vector.Equals(va - va, Vector<float>.Zero) & Vector.Equals(vb - vb, Vector<float>.Zero);
            var diff = Vector.Abs(vb - va);
            var magnitude = Vector.Abs(va);
            var outOfTolerance = Vector.GreaterThan(diff, atol + (rtol * magnitude));
            if (finite != Vector<int>.AllBitsSet || (outOfTolerance != Vector<int>.Zero && stats.WantsExample))
            {
                for (var j = i; j < i + width; j++)
                {
                    if (BitConverter.SingleToInt32Bits(x[j]) != BitConverter.SingleToInt32Bits(y[j])
                        && acc.Add(x[j], y[j], Math.Abs((long)Ordered(BitConverter.SingleToInt32Bits(x[j])) - Ordered(BitConverter.SingleToInt32Bits(y[j]))))
                        && stats.WantsExample)
                    {
                        stats.Example(Example(label, offset + j, x[j], y[j]));
                    }
                }

                continue;
            }

            differing -= Vector.AsVectorInt32(~Vector.Equals(va, vb));
            outside -= outOfTolerance;
            maxAbs = Vector.Max(maxAbs, diff);
            maxRel = Vector.Max(maxRel, Vector.ConditionalSelect(Vector.GreaterThan(magnitude, Vector<float>.Zero), diff / magnitude, Vector<float>.Zero));
            var bitsA = Vector.AsVectorInt32(va);
            var bitsB = Vector.AsVectorInt32(vb);
            var orderedA = Vector.ConditionalSelect(Vector.LessThan(bitsA, Vector<int>.Zero), new Vector<int>(int.MinValue) - bitsA, bitsA);
            var orderedB = Vector.ConditionalSelect(Vector.LessThan(bitsB, Vector<int>.Zero), new Vector<int>(int.MinValue) - bitsB, bitsB);
            var ulp = Vector.Abs(orderedA - orderedB);
            maxUlp = Vector.Max(maxUlp, Vector.ConditionalSelect(Vector.LessThan(ulp, Vector<int>.Zero), new Vector<int>(int.MaxValue), ulp));
        }

        for (var lane = 0; lane < width; lane++)
        {
            acc.Differing += differing[lane];
            acc.OutOfTolerance += outside[lane];
            acc.MaxAbs = Math.Max(acc.MaxAbs, maxAbs[lane]);
            acc.MaxRel = Math.Max(acc.MaxRel, maxRel[lane]);
            acc.MaxUlp = Math.Max(acc.MaxUlp, maxUlp[lane]);
        }

        return i;
    }

    private static string Example(string label, long index, double x, double y) =>
        string.Create(CultureInfo.InvariantCulture, $"{label}[{index}]: {x:R} → {y:R}");

    private static long Ordered(long bits) => bits < 0 ? long.MinValue - bits : bits;

    private static int Ordered(int bits) => bits < 0 ? int.MinValue - bits : bits;

    /// <summary>Per-chunk counters kept in registers; merged into the stats once per chunk.</summary>
    private struct Accumulator(Tolerance tolerance)
    {
        private readonly double _rtol = tolerance.Rtol;
        private readonly double _atol = tolerance.Atol;
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

            if (!double.IsFinite(x) || !double.IsFinite(y))
            {
                return AddSpecial(x, y);
            }

            Differing++;
            var abs = Math.Abs(y - x);
            var magnitude = Math.Abs(x);
            if (abs > MaxAbs)
            {
                MaxAbs = abs;
            }

            // A division only when the relative error could be a new maximum.
            if (abs > MaxRel * magnitude && magnitude > 0)
            {
                MaxRel = abs / magnitude;
            }

            if (ulp > MaxUlp)
            {
                MaxUlp = ulp;
            }

            if (abs <= _atol + (_rtol * magnitude))
            {
                return false;
            }

            OutOfTolerance++;
            return true;
        }

        private bool AddSpecial(double x, double y)
        {
            if (double.IsNaN(x) && double.IsNaN(y))
            {
                return false;
            }

            Differing++;
            OutOfTolerance++;
            if (double.IsNaN(x) || double.IsNaN(y))
            {
                NanMismatches++;
            }

            return true;
        }
    }
}
