using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Repro.Blobs.Hashing;

/// <summary>
/// What the stat cache remembers of a folder: every file's relative path, stat and SHA-256 (in
/// listing order), the hash of the listing they make and, once every blob was seen in the content
/// cache, the stats of the cache's fan-out folders that hold them. When the walk finds the very
/// same files with the very same stats, the folder's hash is known without a lookup a file; when
/// none of those fan-out folders changed either, no blob can have left the cache.
/// </summary>
public sealed class FolderSnapshot
{
    private const uint Magic = 0x32534652; // "RFS2"
    private const int StampBytes = 24;
    private const int HashBytes = 32;

    /// <summary>The serialized form; entry i's path starts at _offsets[i] (after its 4-byte length).</summary>
    private readonly byte[] _bytes;
    private readonly int[] _offsets;
    private IReadOnlyList<StampedFile>? _files;

    private FolderSnapshot(byte[] bytes, int[] offsets, string listingSha256, long listingSize, IReadOnlyDictionary<string, FileStamp> cacheFolders)
    {
        _bytes = bytes;
        _offsets = offsets;
        ListingSha256 = listingSha256;
        ListingSize = listingSize;
        CacheFolders = cacheFolders;
    }

    /// <summary>The SHA-256 of the folder's canonical listing (the folder's hash).</summary>
    public string ListingSha256 { get; }

    public long ListingSize { get; }

    public int Count => _offsets.Length;

    /// <summary>The stats of the cache's fan-out folders (by two-digit prefix) when every blob was last seen there; empty when not known.</summary>
    public IReadOnlyDictionary<string, FileStamp> CacheFolders { get; }

    /// <summary>The files, sorted ordinally by relative path; only files trusted to the stat cache (outside the racy window).</summary>
    public IReadOnlyList<StampedFile> Files => _files ??= Enumerable.Range(0, Count).Select(i => new StampedFile(PathAt(i), StampAt(i), Sha256At(i))).ToArray();

    /// <summary>A snapshot of <paramref name="folder"/>; <paramref name="files"/> sorted by path.</summary>
    public static FolderSnapshot Create(string folder, string listingSha256, long listingSize, IReadOnlyList<StampedFile> files, IReadOnlyDictionary<string, FileStamp>? cacheFolders = null)
    {
        cacheFolders ??= new Dictionary<string, FileStamp>(StringComparer.Ordinal);
        var folderBytes = Encoding.UTF8.GetBytes(folder);
        var length = 4 + 4 + folderBytes.Length + HashBytes + 8 + 4 + 4 + (cacheFolders.Count * (2 + StampBytes));
        foreach (var file in files)
        {
            length += 4 + Encoding.UTF8.GetByteCount(file.Path) + StampBytes + HashBytes;
        }

        var bytes = new byte[length];
        var span = bytes.AsSpan();
        var at = 0;
        WriteUInt32(span, ref at, Magic);
        WriteUInt32(span, ref at, (uint)folderBytes.Length);
        folderBytes.CopyTo(span[at..]);
        at += folderBytes.Length;
        WriteHash(span, ref at, listingSha256);
        WriteInt64(span, ref at, listingSize);
        WriteUInt32(span, ref at, (uint)cacheFolders.Count);
        foreach (var (prefix, stamp) in cacheFolders.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Encoding.ASCII.GetBytes(prefix.AsSpan(0, 2), span.Slice(at, 2));
            at += 2;
            WriteStamp(span, ref at, stamp);
        }

        WriteUInt32(span, ref at, (uint)files.Count);
        var offsets = new int[files.Count];
        for (var i = 0; i < files.Count; i++)
        {
            var file = files[i];
            offsets[i] = at;
            var count = Encoding.UTF8.GetBytes(file.Path, span[(at + 4)..]);
            WriteUInt32(span, ref at, (uint)count);
            at += count;
            WriteStamp(span, ref at, file.Stamp);
            WriteHash(span, ref at, file.Sha256);
        }

        return new FolderSnapshot(bytes, offsets, listingSha256, listingSize, cacheFolders) { _files = files };
    }

    /// <summary>The same files, now known to be in the content cache whose fan-out folders look like <paramref name="cacheFolders"/>.</summary>
    public FolderSnapshot WithCacheFolders(string folder, IReadOnlyDictionary<string, FileStamp> cacheFolders) =>
        Create(folder, ListingSha256, ListingSize, Files, cacheFolders);

    /// <summary>The serialized snapshot (its folder's path inside, checked on reading).</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>The snapshot in <paramref name="bytes"/> when it is well formed and of <paramref name="folder"/>; otherwise null (then it is simply not used).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static FolderSnapshot? Read(byte[] bytes, string folder)
    {
        try
        {
            ReadOnlySpan<byte> span = bytes;
            var at = 0;
            if (ReadUInt32(span, ref at) != Magic)
            {
                return null;
            }

            var folderLength = (int)ReadUInt32(span, ref at);
            if (!span.Slice(at, folderLength).SequenceEqual(Encoding.UTF8.GetBytes(folder)))
            {
                return null;
            }

            at += folderLength;
            var listing = ReadHash(span, ref at);
            var listingSize = ReadInt64(span, ref at);
            var folders = (int)ReadUInt32(span, ref at);
            if (folders < 0 || folders > 256)
            {
                return null;
            }

            var cacheFolders = new Dictionary<string, FileStamp>(folders, StringComparer.Ordinal);
            for (var i = 0; i < folders; i++)
            {
                var prefix = Encoding.ASCII.GetString(span.Slice(at, 2));
                at += 2;
                cacheFolders[prefix] = ReadStamp(span, ref at);
            }

            var count = (int)ReadUInt32(span, ref at);
            if (count < 0 || count > span.Length / (4 + StampBytes + HashBytes))
            {
                return null;
            }

            // One pass over the lengths only: no string is made until one is asked for.
            var offsets = new int[count];
            for (var i = 0; i < count; i++)
            {
                offsets[i] = at;
                var pathLength = (int)ReadUInt32(span, ref at);
                if (pathLength < 0)
                {
                    return null;
                }

                at += pathLength + StampBytes + HashBytes;
            }

            return at == span.Length ? new FolderSnapshot(bytes, offsets, listing, listingSize, cacheFolders) : null;
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Whether entry <paramref name="index"/> is <paramref name="relative"/> with exactly this stamp, compared in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Matches(int index, string relative, FileStamp stamp)
    {
        ReadOnlySpan<byte> span = _bytes;
        var at = _offsets[index];
        var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[at..]);
        var path = span.Slice(at + 4, length);
        at += 4 + length;
        if (BinaryPrimitives.ReadInt64LittleEndian(span[at..]) != stamp.Size
            || BinaryPrimitives.ReadInt64LittleEndian(span[(at + 8)..]) != stamp.MtimeNs
            || BinaryPrimitives.ReadInt64LittleEndian(span[(at + 16)..]) != stamp.Inode)
        {
            return false;
        }

        if (length != relative.Length)
        {
            // Equal only if some character takes more than one UTF-8 byte.
            return length > relative.Length && path.SequenceEqual(Encoding.UTF8.GetBytes(relative));
        }

        // As many bytes as characters: equal only when every character is ASCII, so compare byte by char.
        for (var i = 0; i < length; i++)
        {
            if (relative[i] >= 0x80 || path[i] != relative[i])
            {
                return false;
            }
        }

        return true;
    }

    public string PathAt(int index)
    {
        var at = _offsets[index];
        var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(_bytes.AsSpan(at));
        return Encoding.UTF8.GetString(_bytes, at + 4, length);
    }

    public string Sha256At(int index) => Convert.ToHexStringLower(_bytes.AsSpan(HashOffset(index), HashBytes));

    private FileStamp StampAt(int index)
    {
        var at = HashOffset(index) - StampBytes;
        return ReadStamp(_bytes, ref at);
    }

    private int HashOffset(int index)
    {
        var at = _offsets[index];
        return at + 4 + (int)BinaryPrimitives.ReadUInt32LittleEndian(_bytes.AsSpan(at)) + StampBytes;
    }

    private static void WriteUInt32(Span<byte> span, ref int at, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(span[at..], value);
        at += 4;
    }

    private static void WriteInt64(Span<byte> span, ref int at, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(span[at..], value);
        at += 8;
    }

    private static void WriteStamp(Span<byte> span, ref int at, FileStamp stamp)
    {
        WriteInt64(span, ref at, stamp.Size);
        WriteInt64(span, ref at, stamp.MtimeNs);
        WriteInt64(span, ref at, stamp.Inode);
    }

    private static void WriteHash(Span<byte> span, ref int at, string sha256)
    {
        Convert.FromHexString(sha256, span.Slice(at, HashBytes), out _, out _);
        at += HashBytes;
    }

    private static uint ReadUInt32(ReadOnlySpan<byte> span, ref int at)
    {
        var value = BinaryPrimitives.ReadUInt32LittleEndian(span[at..]);
        at += 4;
        return value;
    }

    private static long ReadInt64(ReadOnlySpan<byte> span, ref int at)
    {
        var value = BinaryPrimitives.ReadInt64LittleEndian(span[at..]);
        at += 8;
        return value;
    }

    private static FileStamp ReadStamp(ReadOnlySpan<byte> span, ref int at) => new(ReadInt64(span, ref at), ReadInt64(span, ref at), ReadInt64(span, ref at));

    private static string ReadHash(ReadOnlySpan<byte> span, ref int at)
    {
        var hash = Convert.ToHexStringLower(span.Slice(at, HashBytes));
        at += HashBytes;
        return hash;
    }
}
