using System.IO.Enumeration;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using Repro.Domain;
using Repro.Storage;

namespace Repro.Hashing;

/// <summary>
/// Hashes declared files and folders and, when asked, stores their bytes in the cache. A
/// folder's hash is the SHA-256 of its canonical listing: a JSON array of (path, sha256, size)
/// sorted ordinally by '/'-separated relative path; the listing itself is stored as a blob.
/// </summary>
public sealed class ArtifactHasher
{
    private const int SmallFile = 256 * 1024;

    /// <summary>Files modified this recently are not trusted to the stat cache (same-tick edits).</summary>
    private static readonly TimeSpan RacyWindow = TimeSpan.FromSeconds(2);

    private readonly ContentCache _cache;
    private readonly IStatCache _statCache;
    private readonly TimeProvider _time;

    public ArtifactHasher(ContentCache cache, IStatCache statCache, TimeProvider time)
    {
        _cache = cache;
        _statCache = statCache;
        _time = time;
    }

    /// <summary>Hashes <paramref name="fullPath"/>; a missing path gives a record of kind Missing.</summary>
    public async Task<ArtifactRecord> HashAsync(string fullPath, string recordedPath, bool store, IProgress<HashProgress>? progress, CancellationToken cancellationToken)
    {
        if (File.Exists(fullPath))
        {
            var length = new FileInfo(fullPath).Length;
            var counter = new ProgressCounter(recordedPath, 1, length, progress);
            var (sha, size) = await HashOneAsync(fullPath, null, store, counter, cancellationToken);
            counter.FileDone();
            await _statCache.FlushAsync(cancellationToken);
            return new ArtifactRecord { Path = recordedPath, Kind = ArtifactKind.File, Sha256 = sha, Size = size, Cached = store };
        }

        if (Directory.Exists(fullPath))
        {
            var (sha, size, count) = await HashDirectoryAsync(fullPath, recordedPath, store, progress, cancellationToken);
            await _statCache.FlushAsync(cancellationToken);
            return new ArtifactRecord { Path = recordedPath, Kind = ArtifactKind.Dir, Sha256 = sha, Size = size, Files = count, Cached = store };
        }

        return new ArtifactRecord { Path = recordedPath, Kind = ArtifactKind.Missing };
    }

    /// <summary>The canonical listing bytes for entries (sorted here).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static byte[] Listing(IEnumerable<DirectoryEntry> entries)
    {
        // Optimised at once: a CLI process runs this loop over 20,000 entries only once, too few for tiering to catch up.
        var sorted = entries.ToArray();
        if (!IsSorted(sorted))
        {
            Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Path, b.Path));
        }

        // Written directly (keys path < sha256 < size are already in canonical order): going
        // through a JSON node tree costs ~100 ms for 20,000 files. A test checks both agree.
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartArray();
            foreach (var entry in sorted)
            {
                writer.WriteStartObject();
                writer.WriteString("path", entry.Path);
                writer.WriteString("sha256", entry.Sha256);
                writer.WriteNumber("size", entry.Size);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return buffer.ToArray();
    }

    private static bool IsSorted(DirectoryEntry[] entries)
    {
        for (var i = 1; i < entries.Length; i++)
        {
            if (string.CompareOrdinal(entries[i - 1].Path, entries[i].Path) > 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Lists the files under a folder as '/'-separated relative paths, minus those <paramref name="skip"/> rejects.</summary>
    public static List<(string Relative, string Full, long Size)> ListFiles(string root, Func<string, bool>? skip = null) =>
        Enumerate(root, skip, stat: true).Select(f => (f.Relative, f.Full, f.Size)).ToList();

    /// <summary>
    /// The files under a folder, each with its stat when <paramref name="stat"/> (one stat(2) a file:
    /// the folder's readdir already tells files, folders and links apart). Symlinked folders are not
    /// followed (they could loop or leave the tree); a symlinked file counts with its target.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static List<ListedFile> Enumerate(string root, Func<string, bool>? skip, bool stat)
    {
        var result = new List<ListedFile>();
        var pending = new Stack<(string Full, string Relative)>();
        pending.Push((Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)), string.Empty));
        while (pending.Count > 0)
        {
            var (directory, prefix) = pending.Pop();
            var entries = Interop.LibC.TryReadDirectory(directory);
            if (entries is null)
            {
                EnumerateManaged(directory, prefix, skip, stat, pending, result);
                continue;
            }

            foreach (var entry in entries)
            {
                var relative = prefix.Length == 0 ? entry.Name : string.Concat(prefix, "/", entry.Name);
                if (skip is not null && skip(relative))
                {
                    continue;
                }

                var full = Path.Join(directory, entry.Name);
                var (isDirectory, isLink) = (entry.IsDirectory, entry.IsLink);
                if (entry.IsUnknown)
                {
                    // Some file systems leave the type to a stat.
                    if (!Interop.LibC.TryStat(full, followLinks: false, out _, out _, out _, out isDirectory, out isLink))
                    {
                        continue;
                    }
                }

                if (isDirectory)
                {
                    pending.Push((full, relative));
                    continue;
                }

                FileStamp? stamp = null;
                if (isLink)
                {
                    if (!Interop.LibC.TryStat(full, followLinks: true, out var inode, out var size, out var mtime, out var targetIsDirectory, out _) || targetIsDirectory)
                    {
                        // A dangling link, or a symlinked folder (not followed).
                        continue;
                    }

                    stamp = new FileStamp(size, mtime, inode);
                }
                else if (stat)
                {
                    stamp = FileStamp.Read(full);
                }

                result.Add(new ListedFile(relative, full, stamp?.Size ?? 0, stamp, isLink));
            }
        }

        return result;
    }

    /// <summary>The same walk through .NET's enumeration, where readdir(3) cannot be called directly.</summary>
    private static void EnumerateManaged(string directory, string prefix, Func<string, bool>? skip, bool stat, Stack<(string Full, string Relative)> pending, List<ListedFile> result)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = false, ReturnSpecialDirectories = false };
        var entries = new FileSystemEnumerable<(string Name, bool IsDirectory, bool IsLink, long Length)>(
            directory,
            (ref FileSystemEntry entry) => (entry.FileName.ToString(), entry.IsDirectory, (entry.Attributes & FileAttributes.ReparsePoint) != 0, entry.IsDirectory ? 0 : entry.Length),
            options);
        foreach (var (name, isDirectory, isLink, length) in entries)
        {
            var relative = prefix.Length == 0 ? name : string.Concat(prefix, "/", name);
            if (skip is not null && skip(relative))
            {
                continue;
            }

            var full = Path.Join(directory, name);
            if (isDirectory)
            {
                // Symlinked folders are not followed: they could loop or leave the tree.
                if (!isLink)
                {
                    pending.Push((full, relative));
                }
            }
            else if (!isLink)
            {
                var stamp = stat ? FileStamp.Read(full) : null;
                result.Add(new ListedFile(relative, full, stamp?.Size ?? length, stamp, IsLink: false));
            }
            else if (File.Exists(full))
            {
                // A symlinked file counts with its target's content.
                var stamp = stat ? FileStamp.Read(full) : null;
                result.Add(new ListedFile(relative, full, stamp?.Size ?? new FileInfo(full).Length, stamp, IsLink: true));
            }
        }
    }

    /// <summary>Hashes every file under a folder (in parallel), optionally caching bytes.</summary>
    public async Task<(string Sha256, long Size, int Files)> HashDirectoryAsync(string fullPath, string label, bool store, IProgress<HashProgress>? progress, CancellationToken cancellationToken, Func<string, bool>? skip = null, Func<string, long, bool>? storeFile = null)
    {
        var (entries, blob) = await HashEntriesAsync(fullPath, label, store, progress, cancellationToken, skip, storeFile);
        return (blob.Sha256, entries.Sum(e => e.Size), entries.Count);
    }

    /// <summary>
    /// Like <see cref="HashDirectoryAsync"/>, but returns every file's entry and the listing's
    /// reference, for callers that compare a folder file by file (data checkout).
    /// </summary>
    public async Task<(IReadOnlyList<DirectoryEntry> Entries, BlobRef Listing)> HashEntriesAsync(string fullPath, string label, bool store, IProgress<HashProgress>? progress, CancellationToken cancellationToken, Func<string, bool>? skip = null, Func<string, long, bool>? storeFile = null)
    {
        var files = Enumerate(fullPath, skip, stat: true);
        var counter = new ProgressCounter(label, files.Count, files.Sum(f => f.Size), progress);
        var entries = new DirectoryEntry[files.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, files.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount), CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var file = files[i];
                var storeThis = store && (storeFile is null || storeFile(file.Relative, file.Size));
                var (sha, size) = await HashOneAsync(file.Full, file.Stamp, storeThis, counter, ct);
                entries[i] = new DirectoryEntry(file.Relative, sha, size);
                counter.FileDone();
            });

        var listing = Listing(entries);
        var blob = store
            ? await _cache.AddBytesAsync(listing, cancellationToken)
            : new BlobRef(Sha256Hasher.HashBytes(listing), listing.Length);
        return (entries, blob);
    }

    /// <summary>Hash and size of one file; the size is the bytes actually hashed (or the stat size on a stat-cache hit).</summary>
    private async Task<(string Sha256, long Size)> HashOneAsync(string fullPath, FileStamp? listed, bool store, ProgressCounter counter, CancellationToken cancellationToken)
    {
        var stamp = listed ?? FileStamp.Read(fullPath) ?? throw ReproException.Usage($"cannot read {fullPath}");
        if (_statCache.TryGet(fullPath, stamp, out var known) && (!store || _cache.Contains(known)))
        {
            counter.AddBytes(stamp.Size);
            return (known, stamp.Size);
        }

        long hashedSize;

        string sha;
        if (stamp.Size <= SmallFile && Interop.LibC.TryReadSmallFile(fullPath, stamp.Size) is { } small)
        {
            // Small files: one open, read and close; hashed once and stored from the same bytes.
            sha = Sha256Hasher.HashBytes(small.Span);
            hashedSize = small.Length;
            if (store)
            {
                await _cache.AddHashedBytesAsync(small, sha, cancellationToken);
            }

            counter.AddBytes(small.Length);
        }
        else if (store && stamp.Size <= SmallFile)
        {
            var bytes = await File.ReadAllBytesAsync(fullPath, cancellationToken);
            sha = Sha256Hasher.HashBytes(bytes);
            hashedSize = bytes.Length;
            await _cache.AddHashedBytesAsync(bytes, sha, cancellationToken);

            counter.AddBytes(bytes.Length);
        }
        else
        {
            (sha, hashedSize) = await Sha256Hasher.HashFileAsync(fullPath, counter.AddBytes, cancellationToken);
            if (store)
            {
                await _cache.AddFileAsync(fullPath, sha, cancellationToken);
            }
        }

        var mtime = DateTimeOffset.UnixEpoch.AddTicks(stamp.MtimeNs / 100);
        if (_time.GetUtcNow() - mtime > RacyWindow)
        {
            _statCache.Put(fullPath, stamp, sha);
        }

        return (sha, hashedSize);
    }

    private sealed class ProgressCounter(string label, long filesTotal, long bytesTotal, IProgress<HashProgress>? progress)
    {
        private long _files;
        private long _bytes;

        public void AddBytes(long bytes)
        {
            var done = Interlocked.Add(ref _bytes, bytes);
            progress?.Report(new HashProgress(label, Interlocked.Read(ref _files), filesTotal, done, bytesTotal));
        }

        public void FileDone()
        {
            var files = Interlocked.Increment(ref _files);
            progress?.Report(new HashProgress(label, files, filesTotal, Interlocked.Read(ref _bytes), bytesTotal));
        }
    }
}
