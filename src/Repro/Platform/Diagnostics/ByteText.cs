using System.Globalization;

namespace Repro.Platform.Diagnostics;

/// <summary>A byte count as people read it in warnings and notes: B, KiB, MiB or GiB, one decimal.</summary>
public static class ByteText
{
    public static string Of(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1 << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB"),
        < 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1 << 20):0.#} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.#} GiB"),
    };
}
