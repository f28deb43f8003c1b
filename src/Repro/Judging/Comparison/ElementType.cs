using System.Buffers.Binary;

namespace Repro.Judging.Comparison;

/// <summary>An array element type: float/int/uint/bool, its size and byte order (NPY descr or safetensors dtype).</summary>
public sealed record ElementType(char Kind, int Size, bool BigEndian, string Name)
{
    /// <summary>Parses an NPY descr such as '&lt;f4', '&gt;f8', '|u1', '|b1'; null when unsupported (objects, strings, structs).</summary>
    public static ElementType? FromNpy(string descr)
    {
        if (descr.Length < 3 || !int.TryParse(descr.AsSpan(2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var size))
        {
            return null;
        }

        var order = descr[0];
        var kind = descr[1];
        var big = order == '>' || (order == '!');
        if (order is not ('<' or '>' or '|' or '=' or '!'))
        {
            return null;
        }

        var valid = kind switch
        {
            'f' => size is 2 or 4 or 8,
            'i' or 'u' => size is 1 or 2 or 4 or 8,
            'b' => size == 1,
            _ => false,
        };
        return valid ? new ElementType(kind, size, big && size > 1, descr) : null;
    }

    /// <summary>Parses a safetensors dtype (F16, BF16, F32, F64, I8…I64, U8…U64, BOOL); always little endian.</summary>
    public static ElementType? FromSafetensors(string dtype) => dtype switch
    {
        "F16" => new ElementType('f', 2, false, dtype),
        "BF16" => new ElementType('B', 2, false, dtype),
        "F32" => new ElementType('f', 4, false, dtype),
        "F64" => new ElementType('f', 8, false, dtype),
        "I8" => new ElementType('i', 1, false, dtype),
        "I16" => new ElementType('i', 2, false, dtype),
        "I32" => new ElementType('i', 4, false, dtype),
        "I64" => new ElementType('i', 8, false, dtype),
        "U8" => new ElementType('u', 1, false, dtype),
        "U16" => new ElementType('u', 2, false, dtype),
        "U32" => new ElementType('u', 4, false, dtype),
        "U64" => new ElementType('u', 8, false, dtype),
        "BOOL" => new ElementType('b', 1, false, dtype),
        _ => null,
    };

    public bool IsFloat => Kind is 'f' or 'B';

    /// <summary>Reads element <paramref name="index"/> of <paramref name="data"/> as a double.</summary>
    public double Read(ReadOnlySpan<byte> data, int index)
    {
        var bytes = data.Slice(index * Size, Size);
        return (Kind, Size) switch
        {
            ('f', 2) => (double)(BigEndian ? BitConverter.Int16BitsToHalf(BinaryPrimitives.ReadInt16BigEndian(bytes)) : BitConverter.Int16BitsToHalf(BinaryPrimitives.ReadInt16LittleEndian(bytes))),
            ('B', 2) => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes) << 16),
            ('f', 4) => BigEndian ? BinaryPrimitives.ReadSingleBigEndian(bytes) : BinaryPrimitives.ReadSingleLittleEndian(bytes),
            ('f', 8) => BigEndian ? BinaryPrimitives.ReadDoubleBigEndian(bytes) : BinaryPrimitives.ReadDoubleLittleEndian(bytes),
            ('i', 1) => (sbyte)bytes[0],
            ('i', 2) => BigEndian ? BinaryPrimitives.ReadInt16BigEndian(bytes) : BinaryPrimitives.ReadInt16LittleEndian(bytes),
            ('i', 4) => BigEndian ? BinaryPrimitives.ReadInt32BigEndian(bytes) : BinaryPrimitives.ReadInt32LittleEndian(bytes),
            ('i', 8) => BigEndian ? BinaryPrimitives.ReadInt64BigEndian(bytes) : BinaryPrimitives.ReadInt64LittleEndian(bytes),
            ('u', 1) or ('b', 1) => bytes[0],
            ('u', 2) => BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes),
            ('u', 4) => BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes),
            ('u', 8) => BigEndian ? BinaryPrimitives.ReadUInt64BigEndian(bytes) : BinaryPrimitives.ReadUInt64LittleEndian(bytes),
            _ => throw new InvalidOperationException($"unsupported element type {Name}"),
        };
    }

    /// <summary>Distance in units in the last place between two floats of this type's width.</summary>
    public long Ulp(double a, double b)
    {
        if (!IsFloat || double.IsNaN(a) || double.IsNaN(b) || double.IsInfinity(a) || double.IsInfinity(b))
        {
            return 0;
        }

        if (Size == 8 && Kind == 'f')
        {
            return Math.Abs(Ordered(BitConverter.DoubleToInt64Bits(a)) - Ordered(BitConverter.DoubleToInt64Bits(b)));
        }

        var fa = BitConverter.SingleToInt32Bits((float)a);
        var fb = BitConverter.SingleToInt32Bits((float)b);
        var distance = Math.Abs((long)Ordered(fa) - Ordered(fb));
        return Size == 2 ? distance >> 13 : distance;
    }

    private static long Ordered(long bits) => bits < 0 ? long.MinValue - bits : bits;

    private static int Ordered(int bits) => bits < 0 ? int.MinValue - bits : bits;
}
