using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Repro.Checks.Leakage;

/// <summary>
/// A point in time from a <c>--time</c> cell: an ISO-8601 date or date-time (UTC when it names
/// no offset) compared by UTC ticks, or a plain number (a year, an epoch, a step) compared as is.
/// </summary>
public readonly record struct TimeValue(bool IsDate, long Ticks, double Number)
{
    private static readonly string[] Formats = BuildFormats();

    public int CompareTo(TimeValue other) => IsDate ? Ticks.CompareTo(other.Ticks) : Number.CompareTo(other.Number);

    /// <summary>Parses a normalised cell; false when it is neither a number nor an ISO-8601 date/time.</summary>
    public static bool TryParse(CellKind kind, double number, ReadOnlySpan<byte> text, out TimeValue value)
    {
        value = default;
        if (kind == CellKind.Number)
        {
            value = new TimeValue(false, 0, number);
            return true;
        }

        if (kind != CellKind.Text || text.Length > 64)
        {
            return false;
        }

        if (TryParseIso(text, out var ticks))
        {
            value = new TimeValue(true, ticks, 0);
            return true;
        }

        Span<char> chars = stackalloc char[64];
        var length = Encoding.UTF8.GetChars(text, chars);
        if (DateTimeOffset.TryParseExact(chars[..length], Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            value = new TimeValue(true, parsed.UtcTicks, 0);
            return true;
        }

        return false;
    }

    // The common shapes, parsed straight from the bytes (the general parser costs microseconds a
    // cell): yyyy-MM-dd, then optionally T or space, HH:mm, :ss, .fraction, Z or ±HH:mm / ±HHmm.
    private static bool TryParseIso(ReadOnlySpan<byte> s, out long ticks)
    {
        ticks = 0;
        if (s.Length < 10 || s[4] != '-' || s[7] != '-' || !Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        long time = 0;
        var pos = 10;
        if (pos < s.Length && s[pos] is (byte)'T' or (byte)' ')
        {
            if (s.Length < pos + 6 || s[pos + 3] != ':' || !Digits(s, pos + 1, 2, out var hour) || !Digits(s, pos + 4, 2, out var minute) || hour > 23 || minute > 59)
            {
                return false;
            }

            time = (hour * TimeSpan.TicksPerHour) + (minute * TimeSpan.TicksPerMinute);
            pos += 6;
            if (pos < s.Length && s[pos] == ':')
            {
                if (!Digits(s, pos + 1, 2, out var second) || second > 59)
                {
                    return false;
                }

                time += second * TimeSpan.TicksPerSecond;
                pos += 3;
                if (pos < s.Length && s[pos] == '.')
                {
                    pos++;
                    long fraction = 0;
                    var scale = TimeSpan.TicksPerSecond;
                    var start = pos;
                    while (pos < s.Length && s[pos] is >= (byte)'0' and <= (byte)'9')
                    {
                        if (scale > 1)
                        {
                            scale /= 10;
                            fraction += (s[pos] - '0') * scale;
                        }

                        pos++;
                    }

                    if (pos == start)
                    {
                        return false;
                    }

                    time += fraction;
                }
            }
        }

        long offset = 0;
        if (pos < s.Length)
        {
            if (s[pos] == 'Z' && pos + 1 == s.Length)
            {
                pos++;
            }
            else if (s[pos] is (byte)'+' or (byte)'-' && pos > 10)
            {
                var sign = s[pos] == '-' ? -1 : 1;
                var rest = s[(pos + 1)..];
                int hours, minutes;
                if (rest.Length == 5 && rest[2] == ':' && Digits(rest, 0, 2, out hours) && Digits(rest, 3, 2, out minutes))
                {
                }
                else if (rest.Length == 4 && Digits(rest, 0, 2, out hours) && Digits(rest, 2, 2, out minutes))
                {
                }
                else
                {
                    return false;
                }

                if (hours > 14 || minutes > 59)
                {
                    return false;
                }

                offset = sign * ((hours * TimeSpan.TicksPerHour) + (minutes * TimeSpan.TicksPerMinute));
                pos = s.Length;
            }

            if (pos != s.Length)
            {
                return false;
            }
        }

        ticks = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc).Ticks + time - offset;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Digits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        if (start + count > s.Length)
        {
            return false;
        }

        for (var i = start; i < start + count; i++)
        {
            if (s[i] is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (s[i] - '0');
        }

        return true;
    }

    /// <summary>Seconds since 1970 for dates, the number otherwise: the figure stored in a finding.</summary>
    public double Figure => IsDate ? (Ticks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond : Number;

    private static string[] BuildFormats()
    {
        var formats = new List<string> { "yyyy-MM-dd", "yyyy-MM", "yyyy-MM-ddK" };
        foreach (var separator in new[] { "'T'", " " })
        {
            foreach (var time in new[] { "HH:mm", "HH:mm:ss", "HH:mm:ss.FFFFFFF" })
            {
                formats.Add($"yyyy-MM-dd{separator}{time}");
                formats.Add($"yyyy-MM-dd{separator}{time}K");
                formats.Add($"yyyy-MM-dd{separator}{time} K");
            }
        }

        return [.. formats];
    }
}
