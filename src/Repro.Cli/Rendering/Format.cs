using System.Globalization;

namespace Repro.Cli.Rendering;

/// <summary>Human-readable numbers, always in the invariant culture.</summary>
public static class Format
{
    public static string Bytes(long? bytes)
    {
        if (bytes is not { } value)
        {
            return "?";
        }

        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double size = value;
        var unit = 0;
        while (size >= 1024 && unit < units.Length - 1)
        {
            size /= 1024;
            unit++;
        }

        return unit == 0 ? string.Create(CultureInfo.InvariantCulture, $"{value} B") : string.Create(CultureInfo.InvariantCulture, $"{size:0.0} {units[unit]}");
    }

    public static string Seconds(double? seconds) =>
        seconds is { } s ? (s < 60 ? string.Create(CultureInfo.InvariantCulture, $"{s:0.00} s") : TimeSpan.FromSeconds(s).ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)) : "?";

    public static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Short(string? sha256) => sha256 is null ? "-" : sha256.Length > 12 ? sha256[..12] : sha256;
}
