using System.Globalization;
using System.IO.Compression;

namespace Repro.Model.Serialization;

/// <summary>
/// Opens a zip archive only after its central directory was checked against <see cref="ZipLimits"/>
/// (entry count, total declared size), and reads its entries no further than they declare.
/// </summary>
public static class BoundedZip
{
    /// <summary>The archive, or <see cref="InvalidDataException"/> when it is not a zip, <see cref="InputLimitException"/> when it is over a limit.</summary>
    public static ZipArchive Open(string path, string displayPath)
    {
        var zip = ZipFile.OpenRead(path);
        try
        {
            Check(zip, displayPath);
            return zip;
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    public static void Check(ZipArchive zip, string displayPath)
    {
        var maxEntries = ZipLimits.MaxEntries;
        var maxExpanded = ZipLimits.MaxExpandedBytes;
        long count = 0;
        long total = 0;
        foreach (var entry in zip.Entries)
        {
            if (++count > maxEntries.Value)
            {
                throw new InputLimitException(displayPath, string.Create(CultureInfo.InvariantCulture, $"more than {maxEntries.Value} entries"), maxEntries);
            }

            total += entry.Length;
            if (entry.Length < 0 || total > maxExpanded.Value)
            {
                throw new InputLimitException(displayPath, string.Create(CultureInfo.InvariantCulture, $"its entries expand to more than {maxExpanded.Value} bytes"), maxExpanded);
            }
        }
    }

    /// <summary>An entry's bytes, held to the length it declares.</summary>
    public static async Task<Stream> OpenEntryAsync(ZipArchiveEntry entry, CancellationToken cancellationToken) =>
        new DeclaredLengthStream(await entry.OpenAsync(cancellationToken), entry.Length, entry.FullName);

    /// <summary>A small entry (an index, a record) read whole, refused past <see cref="ZipLimits.MaxRecordBytes"/>.</summary>
    public static async Task<byte[]> ReadEntryAsync(ZipArchiveEntry entry, string displayPath, CancellationToken cancellationToken)
    {
        var max = ZipLimits.MaxRecordBytes;
        if (entry.Length > max.Value)
        {
            throw new InputLimitException($"{displayPath}: {entry.FullName}", string.Create(CultureInfo.InvariantCulture, $"{entry.Length} bytes"), max);
        }

        await using var stream = await OpenEntryAsync(entry, cancellationToken);
        using var buffer = new MemoryStream((int)entry.Length);
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
