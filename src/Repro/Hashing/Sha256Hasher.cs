using System.Buffers;
using System.Security.Cryptography;

namespace Repro.Hashing;

/// <summary>
/// SHA-256 of files at the speed of the CPU's SHA extensions: large reads, the next read
/// overlapping the hash of the current buffer.
/// </summary>
public static class Sha256Hasher
{
    private const int ChunkSize = 1 << 20;
    private const int SmallFile = 256 * 1024;

    public static string ToHex(ReadOnlySpan<byte> hash) => Convert.ToHexStringLower(hash);

    public static string HashBytes(ReadOnlySpan<byte> bytes) => ToHex(SHA256.HashData(bytes));

    /// <summary>Whether <paramref name="text"/> is a SHA-256 as repro writes it: 64 lower-case hex digits.</summary>
    public static bool IsHash(string text) => text.Length == 64 && text.All(char.IsAsciiHexDigitLower);

    /// <summary>Hashes a file; <paramref name="onBytes"/> is told of every chunk (progress).</summary>
    public static async Task<(string Sha256, long Size)> HashFileAsync(string path, Action<long>? onBytes, CancellationToken cancellationToken)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
        var length = RandomAccess.GetLength(handle);
        if (length <= SmallFile)
        {
            var small = ArrayPool<byte>.Shared.Rent((int)Math.Max(length, 1));
            try
            {
                var total = 0;
                while (true)
                {
                    if (total == small.Length)
                    {
                        // The file grew while we read it: fall back to the streaming path.
                        break;
                    }

                    var n = RandomAccess.Read(handle, small.AsSpan(total), total);
                    if (n == 0)
                    {
                        onBytes?.Invoke(total);
                        return (HashBytes(small.AsSpan(0, total)), total);
                    }

                    total += n;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(small);
            }
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var current = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var next = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            long offset = 0;
            var read = await RandomAccess.ReadAsync(handle, current.AsMemory(0, ChunkSize), offset, cancellationToken);
            while (read > 0)
            {
                offset += read;
                var pending = RandomAccess.ReadAsync(handle, next.AsMemory(0, ChunkSize), offset, cancellationToken);
                hash.AppendData(current, 0, read);
                onBytes?.Invoke(read);
                read = await pending;
                (current, next) = (next, current);
            }

            return (ToHex(hash.GetHashAndReset()), offset);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(next);
        }
    }
}
