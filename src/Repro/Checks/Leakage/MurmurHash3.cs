using System.Buffers.Binary;
using System.Numerics;

namespace Repro.Checks.Leakage;

/// <summary>
/// MurmurHash3 x64 128-bit (Austin Appleby, public domain), written from the published
/// algorithm: a fast, well-distributed non-cryptographic hash. Rows are hashed with it because a
/// SHA-256 call costs about a microsecond of overhead per short input on Linux, which alone
/// would cap the leak check below 100 MB/s; at 128 bits an accidental collision among even
/// 10^12 distinct rows has odds near 10^-15. The result is h1 in the low and h2 in the high half
/// (the reference's byte order on little-endian machines).
/// </summary>
public static class MurmurHash3
{
    private const ulong C1 = 0x87C37B91114253D5UL;
    private const ulong C2 = 0x4CF5AD432745937FUL;

    public static UInt128 Hash128(ReadOnlySpan<byte> data, uint seed = 0)
    {
        ulong h1 = seed;
        ulong h2 = seed;
        var blocks = data.Length / 16;
        for (var i = 0; i < blocks; i++)
        {
            var k1 = BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(i * 16, 8));
            var k2 = BinaryPrimitives.ReadUInt64LittleEndian(data.Slice((i * 16) + 8, 8));
            h1 ^= MixK1(k1);
            h1 = BitOperations.RotateLeft(h1, 27);
            h1 += h2;
            h1 = (h1 * 5) + 0x52DCE729;
            h2 ^= MixK2(k2);
            h2 = BitOperations.RotateLeft(h2, 31);
            h2 += h1;
            h2 = (h2 * 5) + 0x38495AB5;
        }

        var tail = data[(blocks * 16)..];
        if (tail.Length > 0)
        {
            Span<byte> padded = stackalloc byte[16];
            padded.Clear();
            tail.CopyTo(padded);
            if (tail.Length > 8)
            {
                h2 ^= MixK2(BinaryPrimitives.ReadUInt64LittleEndian(padded[8..]));
            }

            h1 ^= MixK1(BinaryPrimitives.ReadUInt64LittleEndian(padded));
        }

        h1 ^= (ulong)data.Length;
        h2 ^= (ulong)data.Length;
        h1 += h2;
        h2 += h1;
        h1 = FMix64(h1);
        h2 = FMix64(h2);
        h1 += h2;
        h2 += h1;
        return new UInt128(h2, h1);
    }

    /// <summary>The final avalanche of MurmurHash3: every input bit affects every output bit.</summary>
    public static ulong FMix64(ulong k)
    {
        k ^= k >> 33;
        k *= 0xFF51AFD7ED558CCDUL;
        k ^= k >> 33;
        k *= 0xC4CEB9FE1A85EC53UL;
        k ^= k >> 33;
        return k;
    }

    private static ulong MixK1(ulong k1)
    {
        k1 *= C1;
        k1 = BitOperations.RotateLeft(k1, 31);
        return k1 * C2;
    }

    private static ulong MixK2(ulong k2)
    {
        k2 *= C2;
        k2 = BitOperations.RotateLeft(k2, 33);
        return k2 * C1;
    }
}
