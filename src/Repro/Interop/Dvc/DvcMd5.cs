using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Repro.Interop.Dvc;

/// <summary>
/// DVC's md5 of a file and of a folder, byte for byte as DVC computes them (dvc-data's
/// <c>hashfile</c>): a folder is the md5 of a JSON listing <c>[{"md5": …, "relpath": …}, …]</c>
/// sorted by relpath, serialised like Python's <c>json.dumps(…, sort_keys=True)</c>, plus ".dir".
/// </summary>
public static class DvcMd5
{
    /// <summary>DVC reads files in 1 MiB chunks; CRLF → LF happens within each chunk.</summary>
    public const int ChunkSize = 1 << 20;

    /// <summary>The text heuristic looks at the first 512 bytes.</summary>
    public const int TextProbeSize = 512;

    public const string DirSuffix = ".dir";

    /// <summary>md5 (hex) of a file's content under the given flavour, and the bytes read.</summary>
    public static async Task<(string Md5, long Size)> HashFileAsync(string path, DvcHashName name, CancellationToken cancellationToken)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 0, FileOptions.SequentialScan);
            long total = 0;
            bool? text = null;
            while (true)
            {
                // Whole chunks, as Python's buffered read(n) returns them: the CRLF rule depends on it.
                var read = await stream.ReadAtLeastAsync(buffer.AsMemory(0, ChunkSize), ChunkSize, throwOnEndOfStream: false, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                total += read;
                if (name == DvcHashName.Md5Dos2Unix)
                {
                    // DVC 2 decided once, from the first chunk's first 512 bytes.
                    text ??= IsTextBlock(buffer.AsSpan(0, Math.Min(read, TextProbeSize)));
                    if (text.Value)
                    {
                        AppendDos2Unix(md5, buffer.AsSpan(0, read));
                        continue;
                    }
                }

                md5.AppendData(buffer, 0, read);
            }

            return (Convert.ToHexStringLower(md5.GetHashAndReset()), total);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// DVC's text heuristic: empty is text; a NUL byte means binary; otherwise text when at most
    /// 30% of the bytes are outside printable ASCII and \n \r \t \f \b.
    /// </summary>
    public static bool IsTextBlock(ReadOnlySpan<byte> block)
    {
        if (block.IsEmpty)
        {
            return true;
        }

        if (block.Contains((byte)0))
        {
            return false;
        }

        var nonText = 0;
        foreach (var b in block)
        {
            if (!(b is >= 32 and < 127 or (byte)'\n' or (byte)'\r' or (byte)'\t' or (byte)'\f' or (byte)'\b'))
            {
                nonText++;
            }
        }

        return (double)nonText / block.Length <= 0.30;
    }

    /// <summary>The listing DVC hashes for a folder: entries sorted by relpath (code-point order).</summary>
    public static byte[] DirListing(IEnumerable<(string RelPath, string Md5)> entries)
    {
        var builder = new StringBuilder();
        builder.Append('[');
        var first = true;
        foreach (var (relPath, md5) in entries.OrderBy(e => Encoding.UTF8.GetBytes(e.RelPath), ByteOrder.Instance))
        {
            if (!first)
            {
                builder.Append(", ");
            }

            first = false;

            // sort_keys=True: "md5" < "relpath"; default separators ", " and ": ".
            builder.Append("{\"md5\": ");
            AppendPythonJsonString(builder, md5);
            builder.Append(", \"relpath\": ");
            AppendPythonJsonString(builder, relPath);
            builder.Append('}');
        }

        builder.Append(']');
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    /// <summary>DVC's folder hash: md5 of the listing, with ".dir" appended.</summary>
    public static string DirHash(IEnumerable<(string RelPath, string Md5)> entries)
    {
        // md5 is DVC's content address, not a security measure here.
#pragma warning disable CA5351
        return Convert.ToHexStringLower(MD5.HashData(DirListing(entries))) + DirSuffix;
#pragma warning restore CA5351
    }

    /// <summary>A string as Python's json.dumps writes it with ensure_ascii=True.</summary>
    internal static void AppendPythonJsonString(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case '\b':
                    builder.Append("\\b");
                    break;
                case '\f':
                    builder.Append("\\f");
                    break;
                default:
                    if (c < 0x20 || c > 0x7e)
                    {
                        // UTF-16 code units, lower-case hex: astral characters become surrogate pairs, as in Python.
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }

    private static void AppendDos2Unix(IncrementalHash md5, ReadOnlySpan<byte> chunk)
    {
        var start = 0;
        while (true)
        {
            var at = chunk[start..].IndexOf("\r\n"u8);
            if (at < 0)
            {
                md5.AppendData(chunk[start..]);
                return;
            }

            md5.AppendData(chunk.Slice(start, at));
            md5.AppendData("\n"u8);
            start += at + 2;
        }
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static ByteOrder Instance { get; } = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
