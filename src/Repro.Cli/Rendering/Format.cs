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

    /// <summary>Decimals that show a spread to two significant digits (0.0121 → 3); null without a spread.</summary>
    public static int? DecimalsFor(double? spread) =>
        spread is { } s && s > 0 && double.IsFinite(s) ? Math.Clamp(1 - (int)Math.Floor(Math.Log10(s)), 0, 12) : null;

    /// <summary>A value rounded to the decimals of its spread, or six significant digits without one.</summary>
    public static string Rounded(double value, int? decimals) =>
        decimals is { } d ? value.ToString("F" + d.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : Number(value);

    /// <summary>"0.925 ± 0.012": the spread to two significant digits and the mean to the same place.</summary>
    public static string MeanStd(double mean, double? std)
    {
        var decimals = DecimalsFor(std);
        return std is { } s && decimals is not null ? $"{Rounded(mean, decimals)} ± {Rounded(s, decimals)}" : std == 0 ? $"{Number(mean)} ± 0" : Number(mean);
    }

    public static string Short(string? sha256) => sha256 is null ? "-" : sha256.Length > 12 ? sha256[..12] : sha256;
}
