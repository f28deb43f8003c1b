using System.Buffers.Binary;
using Repro.Checks.Leakage;

namespace Repro.Tests.Leakage;

public sealed class MurmurHash3Tests
{
    [Fact]
    public void Leak_murmur3_x64_128_passes_the_SMHasher_verification_value()
    {
        // SMHasher's VerificationTest: hash {}, {0}, {0,1}, … {0..254} with seed 256 − i, hash the
        // 256 concatenated results with seed 0; the first four bytes, little-endian, are 0x6384BA69.
        var key = new byte[256];
        var hashes = new byte[16 * 256];
        for (var i = 0; i < 256; i++)
        {
            key[i] = (byte)i;
            BinaryPrimitives.WriteUInt128LittleEndian(hashes.AsSpan(i * 16), MurmurHash3.Hash128(key.AsSpan(0, i), (uint)(256 - i)));
        }

        var final = MurmurHash3.Hash128(hashes, 0);
        Assert.Equal(0x6384BA69u, (uint)(ulong)final);
    }

    [Fact]
    public void Leak_murmur3_of_nothing_with_seed_zero_is_zero()
    {
        Assert.Equal(UInt128.Zero, MurmurHash3.Hash128([], 0));
        Assert.NotEqual(MurmurHash3.Hash128("a"u8), MurmurHash3.Hash128("b"u8));
    }
}
