namespace Repro.Platform.Statistics;

/// <summary>
/// xoshiro256** 1.0 (Blackman and Vigna, https://prng.di.unimi.it/xoshiro256starstar.c), seeded by
/// SplitMix64 as its authors recommend. Used instead of <see cref="Random"/> because a seeded
/// System.Random sequence is not promised to stay the same across .NET versions, and a bootstrap
/// interval in a stored report must come out the same on every machine and runtime.
/// </summary>
internal sealed class Xoshiro256StarStar
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    /// <summary>Starts from a raw state (for checking against the reference code); the state must not be all zero.</summary>
    public Xoshiro256StarStar(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        if ((s0 | s1 | s2 | s3) == 0)
        {
            throw new ArgumentException("the xoshiro256** state must not be all zero");
        }

        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
    }

    /// <summary>Fills the state with four outputs of SplitMix64 started at <paramref name="seed"/>.</summary>
    public static Xoshiro256StarStar FromSeed(ulong seed)
    {
        var x = seed;
        return new Xoshiro256StarStar(SplitMix64(ref x), SplitMix64(ref x), SplitMix64(ref x), SplitMix64(ref x));
    }

    /// <summary>One step of SplitMix64 (https://prng.di.unimi.it/splitmix64.c).</summary>
    public static ulong SplitMix64(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>
    /// A uniform integer in [0, <paramref name="bound"/>) by Lemire's multiply-and-reject method
    /// ("Fast random integer generation in an interval", 2019): no modulo bias, and a division only
    /// on the rare draws that land in the biased zone.
    /// </summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        var s = (ulong)bound;
        var high = Math.BigMul(NextUInt64(), s, out var low);
        if (low < s)
        {
            var threshold = (0UL - s) % s;
            while (low < threshold)
            {
                high = Math.BigMul(NextUInt64(), s, out low);
            }
        }

        return (int)high;
    }
}
