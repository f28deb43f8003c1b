using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Repro.Blobs.Hashing;

/// <summary>
/// SHA-256 of files at the speed of the CPU's SHA extensions: large reads on one thread, the
/// hash on another, so reading never holds the hash up.
/// </summary>
public static class Sha256Hasher
{
    private const int ChunkSize = 1 << 20;
    private const int SmallFile = 256 * 1024;
    private const int Buffers = 4;

    /// <summary>Up to this size a file is read and hashed on one thread (folders hash many files at once anyway).</summary>
    private const long OneThread = 16L << 20;

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

        if (length <= OneThread)
        {
            return HashSequential(handle, onBytes, cancellationToken);
        }

        return await Task.Run(() => HashStreaming(handle, onBytes, cancellationToken), cancellationToken);
    }

    /// <summary>A file too small to pay for a reader thread: read and hash in turn, here.</summary>
    private static (string Sha256, long Size) HashSequential(SafeFileHandle handle, Action<long>? onBytes, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            long offset = 0;
            int n;
            while ((n = RandomAccess.Read(handle, buffer.AsSpan(0, ChunkSize), offset)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                hash.AppendData(buffer, 0, n);
                offset += n;
                onBytes?.Invoke(n);
            }

            return (ToHex(hash.GetHashAndReset()), offset);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Two cores, two jobs: a reader thread fills a ring of <see cref="Buffers"/> chunks with
    /// <c>pread</c> while this thread only hashes, so the hash never waits for a copy. A chunk of
    /// 1 MiB is still in the reader's cache when the hash reads it (measured: less CPU on the
    /// hashing thread than hashing a memory map, which streams from DRAM).
    /// </summary>
    private static (string Sha256, long Size) HashStreaming(SafeFileHandle handle, Action<long>? onBytes, CancellationToken cancellationToken)
    {
        var buffers = new byte[Buffers][];
        var lengths = new int[Buffers];
        for (var i = 0; i < buffers.Length; i++)
        {
            buffers[i] = ArrayPool<byte>.Shared.Rent(ChunkSize);
        }

        using var filled = new SemaphoreSlim(0, Buffers);
        using var free = new SemaphoreSlim(Buffers, Buffers);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Exception? readError = null;
        var reader = new Thread(() =>
        {
            try
            {
                long offset = 0;
                for (var i = 0; ; i = (i + 1) % Buffers)
                {
                    free.Wait(stop.Token);
                    var n = RandomAccess.Read(handle, buffers[i].AsSpan(0, ChunkSize), offset);
                    lengths[i] = n;
                    filled.Release();
                    if (n == 0)
                    {
                        return;
                    }

                    offset += n;
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception ex)
            {
                readError = ex;
                stop.Cancel();
            }
        })
        {
            IsBackground = true,
            Name = "repro sha256 reader",
        };

        reader.Start();
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long total = 0;
            for (var i = 0; ; i = (i + 1) % Buffers)
            {
                try
                {
                    filled.Wait(stop.Token);
                }
                catch (OperationCanceledException) when (readError is not null)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(readError);
                }

                var n = lengths[i];
                if (n == 0)
                {
                    return (ToHex(hash.GetHashAndReset()), total);
                }

                hash.AppendData(buffers[i], 0, n);
                total += n;
                onBytes?.Invoke(n);
                free.Release();
            }
        }
        finally
        {
            stop.Cancel();
            reader.Join();
            foreach (var buffer in buffers)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
