using System.Buffers.Binary;

namespace Repro.Checks.Leakage;

/// <summary>
/// Builds the canonical bytes of a row's normalised cells (a kind byte, then the double's 8 bytes
/// or the text's length and bytes — unambiguous, so different rows never share bytes) and hashes
/// them to 128 bits with <see cref="MurmurHash3"/>.
/// </summary>
public sealed class RowKey
{
    private byte[] _bytes = new byte[256];
    private int _length;

    public void Clear() => _length = 0;

    public void Add(CellKind kind, double number, ReadOnlySpan<byte> text)
    {
        Ensure(13 + text.Length);
        _bytes[_length++] = (byte)kind;
        if (kind == CellKind.Number)
        {
            BinaryPrimitives.WriteInt64LittleEndian(_bytes.AsSpan(_length), BitConverter.DoubleToInt64Bits(number));
            _length += 8;
        }
        else if (kind == CellKind.Text)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_bytes.AsSpan(_length), text.Length);
            _length += 4;
            text.CopyTo(_bytes.AsSpan(_length));
            _length += text.Length;
        }
    }

    public UInt128 Hash() => MurmurHash3.Hash128(_bytes.AsSpan(0, _length));

    /// <summary>A 64-bit hash of one normalised cell, for in-memory category tables (not stored).</summary>
    public static ulong CellHash(CellKind kind, double number, ReadOnlySpan<byte> text)
    {
        if (kind == CellKind.Number)
        {
            return MurmurHash3.FMix64(((ulong)BitConverter.DoubleToInt64Bits(number) * 0x9E3779B97F4A7C15UL) ^ 0x5851F42D4C957F2DUL);
        }

        // FNV-1a over the bytes, then a murmur3 finaliser so the low bits are well spread.
        var h = 0xCBF29CE484222325UL ^ (ulong)kind;
        foreach (var b in text)
        {
            h = (h ^ b) * 0x100000001B3UL;
        }

        return MurmurHash3.FMix64(h ^ (ulong)text.Length);
    }

    private void Ensure(int extra)
    {
        if (_length + extra > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + extra));
        }
    }
}
