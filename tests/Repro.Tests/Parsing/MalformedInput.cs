using CsCheck;

namespace Repro.Tests.Parsing;

/// <summary>
/// Generators of malformed inputs: a valid seed file truncated, with bytes flipped, NULs or
/// random bytes inserted, a slice repeated, or wrapped in deep nesting; and plain random bytes.
/// </summary>
public static class MalformedInput
{
    public static Gen<byte[]> From(byte[] seed) => Gen.Frequency(
        (3, Gen.Int[0, seed.Length].Select(n => seed[..n])),
        (3, Gen.Select(Gen.Int[0, seed.Length - 1], Gen.Byte, (at, value) => Replace(seed, at, value))),
        (2, Gen.Select(Gen.Int[0, seed.Length], Gen.Byte.Array[1, 16], (at, bytes) => Insert(seed, at, bytes))),
        (1, Gen.Int[0, seed.Length].Select(at => Insert(seed, at, [0]))),
        (1, Gen.Select(Gen.Int[0, seed.Length - 1], Gen.Int[1, 64], Gen.Int[1, 200], (at, length, times) => Repeat(seed, at, length, times))),
        (1, Gen.Select(Gen.Int[1, 2000], Gen.OneOf(Gen.Const("["), Gen.Const("{\"a\":"), Gen.Const("- "), Gen.Const("a: &a [*a, ")), (depth, open) => Nest(seed, depth, open))),
        (2, Gen.Byte.Array[0, 512]));

    private static byte[] Replace(byte[] seed, int at, byte value)
    {
        var copy = (byte[])seed.Clone();
        copy[at] = value;
        return copy;
    }

    private static byte[] Insert(byte[] seed, int at, byte[] bytes) => [.. seed[..at], .. bytes, .. seed[at..]];

    private static byte[] Repeat(byte[] seed, int at, int length, int times)
    {
        var slice = seed[at..Math.Min(seed.Length, at + length)];
        return [.. seed[..at], .. Enumerable.Repeat(slice, times).SelectMany(s => s), .. seed[at..]];
    }

    private static byte[] Nest(byte[] seed, int depth, string open) =>
        [.. System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(open, depth))), .. seed];
}
