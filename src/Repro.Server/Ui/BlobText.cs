using System.Text;
using Repro.Blobs.Storage;

namespace Repro.Server.Ui;

/// <summary>Reads the start of a text blob (a log, a patch) from the cache, so a page never holds a whole 16 MiB log.</summary>
internal static class BlobText
{
    /// <summary>Null when the blob is not in this cache; else its first <paramref name="cap"/> bytes as UTF-8 and whether there was more.</summary>
    public static async Task<(string Text, bool Cut)?> ReadAsync(ContentCache cache, string sha256, int cap, CancellationToken cancellationToken)
    {
        string path;
        try
        {
            path = cache.PathFor(sha256);
        }
        catch (ArgumentException)
        {
            return null;
        }

        if (!File.Exists(path))
        {
            return null;
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        var buffer = new byte[Math.Min(cap, Math.Max(0, stream.Length))];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return (Encoding.UTF8.GetString(buffer, 0, read), stream.Length > read);
    }
}
