using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Repro.Blobs.Hashing;
using Repro.Model;
using Repro.Platform;

namespace Repro.Blobs.Storage;

/// <summary>
/// Content-addressed blobs under <c>cache/sha256/ab/cdef…</c>. Every blob is written to a temp
/// file in the same file system, checked against its hash, made read-only and renamed into
/// place, so no reader ever sees a half-written blob under a hash, whatever kills the writer.
/// </summary>
public sealed class ContentCache
{
    private const int CopyChunk = 1 << 20;

    /// <summary>Downloads up to this size are read into memory, hashed, then written in one go.</summary>
    private const int SmallBlob = 256 * 1024;

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    /// <summary>Folders known to exist (creating the same folder for every blob costs a syscall each), and whether this instance created them.</summary>
    private readonly ConcurrentDictionary<string, bool> _folders = new(StringComparer.Ordinal);

    public ContentCache(string root)
    {
        Root = Path.GetFullPath(root);
        TempDirectory = Path.Combine(Root, "tmp");
    }

    public string Root { get; }

    public string TempDirectory { get; }

    public string PathFor(string sha256)
    {
        ValidateHash(sha256);
        return Path.Combine(Root, "sha256", sha256[..2], sha256[2..]);
    }

    /// <summary>Whether the blob is in the cache: one stat(2) where the fast file calls work.</summary>
    public bool Contains(string sha256)
    {
        var path = PathFor(sha256);
        return LibC.FastFiles
            ? LibC.TryStat(path, followLinks: true, out _, out _, out _, out var isDirectory, out _) && !isDirectory
            : File.Exists(path);
    }

    /// <summary>
    /// The stat of the fan-out folder holding the blobs whose hashes start with
    /// <paramref name="prefix"/> (two hex digits), or null when it does not exist. Adding or
    /// removing a blob there changes its mtime, so an unchanged stamp means the same blobs.
    /// </summary>
    public FileStamp? FolderStamp(string prefix)
    {
        if (prefix.Length != 2 || prefix.AsSpan().ContainsAnyExcept(LowerHex))
        {
            throw new ArgumentException($"not a blob folder prefix: '{prefix}'", nameof(prefix));
        }

        var path = Path.Combine(Root, "sha256", prefix);
        return LibC.TryStat(path, followLinks: false, out var inode, out var size, out var mtime, out var isDirectory, out _) && isDirectory
            ? new FileStamp(size, mtime, inode)
            : null;
    }

    /// <summary>Stores bytes and returns their reference.</summary>
    public async Task<BlobRef> AddBytesAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var sha = Sha256Hasher.HashBytes(bytes.Span);
        await AddHashedBytesAsync(bytes, sha, cancellationToken);
        return new BlobRef(sha, bytes.Length);
    }

    /// <summary>Stores bytes whose SHA-256 the caller has just computed from these same bytes.</summary>
    internal Task AddHashedBytesAsync(ReadOnlyMemory<byte> bytes, string sha256, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var destination = PathFor(sha256);

        // A fan-out folder this cache has just created held nothing before: no need to look for the
        // blob there (a duplicate written twice is renamed over its identical self).
        if (!EnsureFolder(Path.GetDirectoryName(destination)!) && Contains(sha256))
        {
            return Task.CompletedTask;
        }

        // The temp file sits beside the blob: a rename within one folder locks only that folder,
        // where one from tmp/ takes the file system's rename lock, which every thread storing a
        // blob then waits on (most of a cold 20,000-file folder pass went there, in the kernel).
        var temp = TempPathBeside(destination);
        if (LibC.FastFiles && LibC.TryWriteNewReadOnlyFile(temp, bytes.Span))
        {
            // Created 0444, written whole and closed, then renamed: four system calls, and a kill
            // at any point leaves at most a dot-named temp file, never a partial blob under its hash.
            if (LibC.TryRename(temp, destination))
            {
                return Task.CompletedTask;
            }

            TryDelete(temp);
        }

        var published = false;
        try
        {
            using (var handle = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                RandomAccess.Write(handle, bytes.Span, 0);
            }

            Publish(temp, destination);
            published = true;
        }
        finally
        {
            if (!published)
            {
                TryDelete(temp);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Copies a file into the cache under <paramref name="expectedSha256"/>. The copy is hashed
    /// as it is written; if the file changed since it was hashed, nothing is published and the
    /// user is told.
    /// </summary>
    public async Task AddFileAsync(string source, string expectedSha256, CancellationToken cancellationToken)
    {
        if (File.Exists(PathFor(expectedSha256)))
        {
            return;
        }

        await using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 0, FileOptions.SequentialScan);
        var actual = await AddStreamAsync(input, expectedSha256, cancellationToken);
        if (actual is not null)
        {
            throw ReproException.CannotExecute($"{source} changed while it was being hashed (expected {expectedSha256[..12]}, read {actual[..12]}); try again when nothing writes to it");
        }
    }

    /// <summary>
    /// Writes a stream (a download) to a temp file, hashing it on the way, and publishes it only
    /// when it hashes to <paramref name="expectedSha256"/>. Returns null when published (or
    /// already present), else the hash actually read, with nothing left behind.
    /// </summary>
    public async Task<string?> AddStreamAsync(Stream input, string expectedSha256, CancellationToken cancellationToken)
    {
        var destination = PathFor(expectedSha256);
        if (File.Exists(destination))
        {
            return null;
        }

        if (input.CanSeek && input.Length - input.Position <= SmallBlob)
        {
            // A small blob (a file of a folder remote): read whole, hashed, and stored through the
            // same four-call write as a hashed file; it becomes visible only if it matches.
            var bytes = new MemoryStream((int)(input.Length - input.Position));
            await input.CopyToAsync(bytes, cancellationToken);
            var content = bytes.GetBuffer().AsMemory(0, (int)bytes.Length);
            var hashed = Sha256Hasher.HashBytes(content.Span);
            if (!string.Equals(hashed, expectedSha256, StringComparison.Ordinal))
            {
                return hashed;
            }

            await AddHashedBytesAsync(content, hashed, cancellationToken);
            return null;
        }

        var temp = NewTempPath();
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = ArrayPool<byte>.Shared.Rent(CopyChunk);
            try
            {
                await using var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0);
                int read;
                while ((read = await input.ReadAsync(buffer.AsMemory(0, CopyChunk), cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            var actual = Sha256Hasher.ToHex(hash.GetHashAndReset());
            if (!string.Equals(actual, expectedSha256, StringComparison.Ordinal))
            {
                return actual;
            }

            Publish(temp, destination);
            return null;
        }
        finally
        {
            TryDelete(temp);
        }
    }

    /// <summary>Every blob hash in the cache (names that are not hashes are skipped).</summary>
    public IEnumerable<string> EnumerateBlobs()
    {
        var root = Path.Combine(Root, "sha256");
        if (!Directory.Exists(root))
        {
            yield break;
        }

        foreach (var folder in Directory.EnumerateDirectories(root))
        {
            var prefix = Path.GetFileName(folder);
            if (prefix.Length != 2)
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(folder))
            {
                var sha = prefix + Path.GetFileName(file);
                if (Sha256Hasher.IsHash(sha))
                {
                    yield return sha;
                }
            }
        }
    }

    public async Task<byte[]> ReadAllBytesAsync(string sha256, CancellationToken cancellationToken) =>
        await File.ReadAllBytesAsync(PathFor(sha256), cancellationToken);

    /// <summary>
    /// Temp files a killed process left: in tmp/ (large blobs) and dot-named beside the blobs
    /// (small ones), last written before <paramref name="before"/>; a younger one may still be
    /// being written.
    /// </summary>
    public IEnumerable<(string Path, long Size)> EnumerateStaleTempFiles(DateTime before)
    {
        var folders = new List<string> { TempDirectory };
        var blobs = Path.Combine(Root, "sha256");
        if (Directory.Exists(blobs))
        {
            folders.AddRange(Directory.EnumerateDirectories(blobs));
        }

        foreach (var folder in folders.Where(Directory.Exists))
        {
            var pattern = folder == TempDirectory ? "*.tmp" : ".*.tmp";
            foreach (var file in new DirectoryInfo(folder).EnumerateFiles(pattern))
            {
                if (file.LastWriteTimeUtc < before)
                {
                    yield return (file.FullName, file.Length);
                }
            }
        }
    }

    /// <summary>A temp name in the folder of <paramref name="destination"/>: dot-named, never a hash, so listings skip it.</summary>
    private static string TempPathBeside(string destination) =>
        Path.Combine(Path.GetDirectoryName(destination)!, $".{Guid.NewGuid():N}.tmp");

    public string NewTempPath()
    {
        EnsureFolder(TempDirectory);
        return Path.Combine(TempDirectory, $"{Guid.NewGuid():N}.tmp");
    }

    /// <summary>Makes sure <paramref name="folder"/> exists; true when this instance created it (then it held nothing of anyone else's when created).</summary>
    private bool EnsureFolder(string folder)
    {
        if (_folders.TryGetValue(folder, out var created))
        {
            return created;
        }

        created = !Directory.Exists(folder);
        Directory.CreateDirectory(folder);
        return _folders.GetOrAdd(folder, created);
    }

    private void Publish(string temp, string destination)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        EnsureFolder(Path.GetDirectoryName(destination)!);

        // rename(2) is atomic: readers see either no blob or the whole blob.
        File.Move(temp, destination, overwrite: true);
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void ValidateHash(string sha256)
    {
        if (sha256.Length != 64 || sha256.AsSpan().ContainsAnyExcept(LowerHex))
        {
            throw new ArgumentException($"not a lower-case SHA-256: '{sha256}'", nameof(sha256));
        }
    }
}
