using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Repro.Checks.Leakage;

/// <summary>
/// Normalises one cell so that equal data compares equal: surrounding whitespace is dropped and
/// inner runs collapse to one space; missing markers (empty, NA, N/A, NaN, null, None — any case)
/// are one "missing" value; anything that parses as an invariant-culture number is its value
/// (<c>1.0</c> = <c>1</c> = <c>1e0</c>, <c>-0</c> = <c>0</c>).
/// </summary>
public static class CellNormalizer
{
    // The bytes IsSpace accepts, as a bit mask over 0..32.
    private const ulong SpaceMask = (1UL << ' ') | (1UL << '\t') | (1UL << '\r') | (1UL << '\n') | (1UL << 0x0B) | (1UL << 0x0C);

    private static readonly SearchValues<byte> Spaces = SearchValues.Create(" \t\r\n\v\f"u8);

    // What can follow a leading digit or point in a number the runtime parses (digits, point,
    // exponent, signs; trailing NULs and white space): any other byte means "not a number".
    private static readonly SearchValues<byte> NumberBytes = SearchValues.Create("0123456789.eE+-\0 \t\r\n\v\f"u8);

    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>
    /// Classifies <paramref name="raw"/>; for text, writes the normalised bytes to
    /// <paramref name="text"/> (at least as long as <paramref name="raw"/>) and sets their length.
    /// </summary>
    public static CellKind Normalize(ReadOnlySpan<byte> raw, out double number, Span<byte> text, out int textLength)
    {
        number = 0;
        textLength = 0;
        var cell = Trim(raw);
        if (cell.Length == 0)
        {
            return CellKind.Missing;
        }

        // Every missing marker starts with an n (NA, N/A, NaN, null, None).
        var first = cell[0];
        if ((first | 0x20) == 'n' && IsMissingMarker(cell))
        {
            return CellKind.Missing;
        }

        if ((first is >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'+' or (byte)'.') && TryParseNumber(cell, out number))
        {
            if (double.IsNaN(number))
            {
                return CellKind.Missing;
            }

            if (number == 0)
            {
                number = 0; // -0 is 0
            }

            return CellKind.Number;
        }

        if (!cell.ContainsAny(Spaces))
        {
            cell.CopyTo(text);
            textLength = cell.Length;
            return CellKind.Text;
        }

        var written = 0;
        var space = false;
        foreach (var b in cell)
        {
            if (IsSpace(b))
            {
                space = true;
                continue;
            }

            if (space)
            {
                text[written++] = (byte)' ';
                space = false;
            }

            text[written++] = b;
        }

        textLength = written;
        return CellKind.Text;
    }

    /// <summary>
    /// Parses a number: plain decimals of up to 15 digits exactly and fast (an integer mantissa
    /// divided by an exact power of ten is correctly rounded), everything else by the runtime.
    /// </summary>
    public static bool TryParseNumber(ReadOnlySpan<byte> s, out double value)
    {
        var i = 0;
        var negative = false;
        if (s[0] is (byte)'-' or (byte)'+')
        {
            negative = s[0] == (byte)'-';
            i++;
        }

        long mantissa = 0;
        var digits = 0;
        var fraction = 0;
        var dot = false;
        var simple = i < s.Length;
        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (c is >= (byte)'0' and <= (byte)'9')
            {
                if (digits == 0 && c == (byte)'0' && !dot)
                {
                    continue;
                }

                mantissa = (mantissa * 10) + (c - '0');
                digits++;
                if (dot)
                {
                    fraction++;
                }

                if (digits > 15)
                {
                    simple = false;
                    break;
                }
            }
            else if (c == (byte)'.' && !dot)
            {
                dot = true;
            }
            else
            {
                simple = false;
                break;
            }
        }

        if (simple && (i > 1 || s[0] is >= (byte)'0' and <= (byte)'9') && !(dot && s.Length - (negative || s[0] == (byte)'+' ? 1 : 0) == 1))
        {
            value = fraction == 0 ? mantissa : mantissa / PowersOfTen[fraction];
            if (negative)
            {
                value = -value;
            }

            return true;
        }

        // A date, a code such as 12abc or 1,000: after a digit or point, a byte no number has
        // settles it without the runtime's parser (which costs far more than this scan).
        var lead = s[0] is (byte)'-' or (byte)'+' ? 1 : 0;
        if (lead < s.Length && s[lead] is >= (byte)'0' and <= (byte)'9' or (byte)'.' && s.ContainsAnyExcept(NumberBytes))
        {
            value = 0;
            return false;
        }

        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> raw)
    {
        var start = 0;
        var end = raw.Length;
        while (start < end && IsSpace(raw[start]))
        {
            start++;
        }

        while (end > start && IsSpace(raw[end - 1]))
        {
            end--;
        }

        return raw[start..end];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsSpace(byte b) => b <= ' ' && ((SpaceMask >> b) & 1) != 0;

    private static bool IsMissingMarker(ReadOnlySpan<byte> cell) => cell.Length switch
    {
        2 => Lower(cell[0]) == 'n' && Lower(cell[1]) == 'a',
        3 => (Lower(cell[0]) == 'n' && Lower(cell[1]) == 'a' && Lower(cell[2]) == 'n') || (Lower(cell[0]) == 'n' && cell[1] == '/' && Lower(cell[2]) == 'a'),
        4 => (Lower(cell[0]) == 'n' && Lower(cell[1]) == 'u' && Lower(cell[2]) == 'l' && Lower(cell[3]) == 'l') || (Lower(cell[0]) == 'n' && Lower(cell[1]) == 'o' && Lower(cell[2]) == 'n' && Lower(cell[3]) == 'e'),
        _ => false,
    };

    private static int Lower(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? b + 32 : b;
}
