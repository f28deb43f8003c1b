using System.Globalization;
using System.Text;

namespace Repro.Leakage;

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

        Span<char> chars = stackalloc char[64];
        var length = Encoding.UTF8.GetChars(text, chars);
        if (DateTimeOffset.TryParseExact(chars[..length], Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            value = new TimeValue(true, parsed.UtcTicks, 0);
            return true;
        }

        return false;
    }

    public string Describe() => IsDate
        ? new DateTimeOffset(Ticks, TimeSpan.Zero).ToString(Ticks % TimeSpan.TicksPerDay == 0 ? "yyyy-MM-dd" : "yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", CultureInfo.InvariantCulture)
        : Number.ToString("R", CultureInfo.InvariantCulture);

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
