namespace Repro.Checks.Leakage;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood 2014): a tiny generator whose output is fixed by its seed on
/// every platform and runtime, so a sampled statistic is the same number on every machine.
/// </summary>
public sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, bound) by Lemire's multiply-shift (bias below 2^-32 for bounds under 2^32).</summary>
    public long NextBelow(long bound) => (long)(((UInt128)Next() * (ulong)bound) >> 64);
}
