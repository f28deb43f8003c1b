using System.Collections.Concurrent;
using System.IO.Enumeration;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using Repro.Blobs.Hashing;
using Repro.Blobs.Storage;
using Repro.Model;
using Repro.Platform.Diagnostics;

namespace Repro.Blobs.Storage;

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
    private long _statCacheHits;

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
        var unstatted = new List<int>();
        var pending = new Stack<(string Full, string Relative)>();
        pending.Push((Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)), string.Empty));
        while (pending.Count > 0)
        {
            var (directory, prefix) = pending.Pop();
            var entries = Repro.Platform.LibC.TryReadDirectory(directory);
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
                    if (!Repro.Platform.LibC.TryStat(full, followLinks: false, out _, out _, out _, out isDirectory, out isLink))
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
                    if (!Repro.Platform.LibC.TryStat(full, followLinks: true, out var inode, out var size, out var mtime, out var targetIsDirectory, out _) || targetIsDirectory)
                    {
                        // A dangling link, or a symlinked folder (not followed).
                        continue;
                    }

                    stamp = new FileStamp(size, mtime, inode);
                }
                else if (stat)
                {
                    unstatted.Add(result.Count);
                }

                result.Add(new ListedFile(relative, full, stamp?.Size ?? 0, stamp, isLink));
            }
        }

        StatAll(result, unstatted);
        return result;
    }

    /// <summary>One stat(2) for each of these files, on every core when there are many (the kernel's part is most of a warm pass).</summary>
    private static void StatAll(List<ListedFile> files, List<int> indexes)
    {
        static void StatOne(List<ListedFile> files, int index)
        {
            var file = files[index];
            var stamp = FileStamp.Read(file.Full);
            files[index] = file with { Size = stamp?.Size ?? 0, Stamp = stamp };
        }

        if (indexes.Count < 1024 || Environment.ProcessorCount < 2)
        {
            foreach (var index in indexes)
            {
                StatOne(files, index);
            }

            return;
        }

        // Each index is written by one thread only, and the list is not resized meanwhile.
        Parallel.ForEach(Partitioner.Create(0, indexes.Count, 512), range =>
        {
            for (var i = range.Item1; i < range.Item2; i++)
            {
                StatOne(files, indexes[i]);
            }
        });
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
        var folder = await HashFolderAsync(fullPath, label, store, progress, skip, storeFile, entriesWanted: false, cancellationToken);
        return (folder.Listing.Sha256, folder.Size, folder.Count);
    }

    /// <summary>
    /// Like <see cref="HashDirectoryAsync"/>, but returns every file's entry and the listing's
    /// reference, for callers that compare a folder file by file (data checkout, data status).
    /// </summary>
    public async Task<(IReadOnlyList<DirectoryEntry> Entries, BlobRef Listing)> HashEntriesAsync(string fullPath, string label, bool store, IProgress<HashProgress>? progress, CancellationToken cancellationToken, Func<string, bool>? skip = null, Func<string, long, bool>? storeFile = null)
    {
        var folder = await HashFolderAsync(fullPath, label, store, progress, skip, storeFile, entriesWanted: true, cancellationToken);
        return (folder.Entries!, folder.Listing);
    }

    /// <summary>How many files the stat cache answered for since this hasher was made (a folder snapshot counts each of its files).</summary>
    public long StatCacheHits => Interlocked.Read(ref _statCacheHits);

    /// <summary>
    /// Whether the listing <paramref name="listingSha256"/> of the folder at <paramref name="fullPath"/>
    /// and every blob it names (<paramref name="entries"/>) are in the content cache. When the
    /// folder's snapshot says they all were, and none of the cache's fan-out folders holding them
    /// has changed since (a blob removed changes its folder's mtime), that is the answer; otherwise
    /// one stat a blob, and a yes is remembered with the fan-out folders' stats.
    /// </summary>
    public bool AllInCache(string fullPath, string listingSha256, IReadOnlyList<DirectoryEntry> entries, CancellationToken cancellationToken)
    {
        var root = FolderKey(fullPath);
        if (!_cache.Contains(listingSha256))
        {
            return false;
        }

        var snapshot = _statCache.GetFolder(root);
        var known = snapshot is not null && string.Equals(snapshot.ListingSha256, listingSha256, StringComparison.Ordinal) ? snapshot : null;
        return BlobsInCache(root, known, entries.Count, i => entries[i].Sha256, wanted: null, remember: known?.Count == entries.Count, cancellationToken);
    }

    /// <summary>
    /// Whether the <paramref name="count"/> blobs <paramref name="sha256At"/> names (those
    /// <paramref name="wanted"/> keeps) are in the content cache: the fan-out folders' stats
    /// remembered in <paramref name="snapshot"/> answer while none of them changed; otherwise one
    /// stat a blob, and with <paramref name="remember"/> a yes is kept in the snapshot with those stats.
    /// </summary>
    private bool BlobsInCache(string root, FolderSnapshot? snapshot, int count, Func<int, string> sha256At, Func<int, bool>? wanted, bool remember, CancellationToken cancellationToken)
    {
        if (snapshot is { CacheFolders.Count: > 0 } && CacheFoldersUnchanged(snapshot.CacheFolders))
        {
            return true;
        }

        var missing = 0;
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount), CancellationToken = cancellationToken }, (i, loop) =>
        {
            if ((wanted is null || wanted(i)) && !_cache.Contains(sha256At(i)))
            {
                Interlocked.Exchange(ref missing, 1);
                loop.Stop();
            }
        });
        if (missing != 0)
        {
            return false;
        }

        if (snapshot is not null && remember && StampCacheFolders(Enumerable.Range(0, count).Select(i => sha256At(i)[..2])) is { } folders)
        {
            _statCache.PutFolder(root, snapshot.WithCacheFolders(root, folders));
        }

        return true;
    }

    /// <summary>The key a folder's snapshot is stored under: its full path, without a trailing separator.</summary>
    private static string FolderKey(string fullPath) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(fullPath));

    private async Task<HashedFolder> HashFolderAsync(string fullPath, string label, bool store, IProgress<HashProgress>? progress, Func<string, bool>? skip, Func<string, long, bool>? storeFile, bool entriesWanted, CancellationToken cancellationToken)
    {
        var root = FolderKey(fullPath);
        var files = Enumerate(root, skip, stat: true);
        files.Sort(static (a, b) => string.CompareOrdinal(a.Relative, b.Relative));
        var totalSize = files.Sum(f => f.Size);
        Mark(label, "walked");
        var counter = new ProgressCounter(label, files.Count, totalSize, progress);
        var snapshot = _statCache.GetFolder(root);
        if (snapshot is not null && Unchanged(snapshot, files) && (!store || AllStored(root, snapshot, storeFile, cancellationToken)))
        {
            // Every file as the snapshot saw it: its hash is the folder's hash, nothing is read.
            Interlocked.Add(ref _statCacheHits, files.Count);
            counter.AllDone();
            DirectoryEntry[]? reused = null;
            if (entriesWanted)
            {
                reused = new DirectoryEntry[files.Count];
                for (var i = 0; i < files.Count; i++)
                {
                    reused[i] = new DirectoryEntry(files[i].Relative, snapshot.Sha256At(i), files[i].Size);
                }
            }

            Mark(label, "unchanged since its snapshot");
            return new HashedFolder(reused, new BlobRef(snapshot.ListingSha256, snapshot.ListingSize), totalSize, files.Count);
        }

        // Otherwise each file the snapshot still vouches for is taken from it, the others hashed.
        var previous = snapshot?.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var entries = new DirectoryEntry[files.Count];
        var stamps = new FileStamp?[files.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, files.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount), CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var file = files[i];
                var storeThis = store && (storeFile is null || storeFile(file.Relative, file.Size));
                var stamp = file.Stamp ?? FileStamp.Read(file.Full) ?? throw ReproException.Usage($"cannot read {file.Full}");
                string sha;
                long size;
                if (previous is not null && previous.TryGetValue(file.Relative, out var known) && known.Stamp == stamp && stamp.Inode != 0 && (!storeThis || _cache.Contains(known.Sha256)))
                {
                    Interlocked.Increment(ref _statCacheHits);
                    counter.AddBytes(stamp.Size);
                    (sha, size) = (known.Sha256, stamp.Size);
                }
                else
                {
                    // Without a snapshot, rows of single files (as stored before snapshots) still count.
                    (sha, size) = await HashOneAsync(file.Full, stamp, storeThis, counter, ct, consultFiles: previous is null, rememberFile: false);
                }

                entries[i] = new DirectoryEntry(file.Relative, sha, size);
                stamps[i] = size == stamp.Size && stamp.Inode != 0 && IsSettled(stamp) ? stamp : null;
                counter.FileDone();
            });
        Mark(label, "files hashed");

        var listing = Listing(entries);
        var blob = store
            ? await _cache.AddBytesAsync(listing, cancellationToken)
            : new BlobRef(Sha256Hasher.HashBytes(listing), listing.Length);
        var stamped = new List<StampedFile>(files.Count);
        for (var i = 0; i < files.Count; i++)
        {
            if (stamps[i] is { } stamp)
            {
                stamped.Add(new StampedFile(files[i].Relative, stamp, entries[i].Sha256));
            }
        }

        _statCache.PutFolder(root, FolderSnapshot.Create(root, blob.Sha256, blob.Size, stamped));
        Mark(label, "listed");
        return new HashedFolder(entries, blob, entries.Sum(e => e.Size), entries.Length);
    }

    /// <summary>Whether the walk found exactly the snapshot's files, each with the stat it had.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Unchanged(FolderSnapshot snapshot, List<ListedFile> files)
    {
        if (snapshot.Count != files.Count)
        {
            return false;
        }

        for (var i = 0; i < files.Count; i++)
        {
            var file = files[i];
            if (file.Stamp is not { Inode: not 0 } stamp || !snapshot.Matches(i, file.Relative, stamp))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the listing and every file blob that would be stored are in the cache.</summary>
    private bool AllStored(string root, FolderSnapshot snapshot, Func<string, long, bool>? storeFile, CancellationToken cancellationToken)
    {
        if (!_cache.Contains(snapshot.ListingSha256))
        {
            return false;
        }

        // All there, every blob (no file left out by storeFile): the fan-out folders holding them are remembered.
        Func<int, bool>? wanted = storeFile is null ? null : i => storeFile(snapshot.PathAt(i), snapshot.Files[i].Stamp.Size);
        return BlobsInCache(root, snapshot, snapshot.Count, snapshot.Sha256At, wanted, remember: storeFile is null, cancellationToken);
    }

    private bool CacheFoldersUnchanged(IReadOnlyDictionary<string, FileStamp> folders)
    {
        foreach (var (prefix, stamp) in folders)
        {
            if (_cache.FolderStamp(prefix) != stamp)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The stats of the cache's fan-out folders for these prefixes, or null when one cannot be
    /// read or changed too recently to be trusted (a blob removed in the same clock tick as the
    /// stat would leave the folder's mtime as it was).
    /// </summary>
    private Dictionary<string, FileStamp>? StampCacheFolders(IEnumerable<string> prefixes)
    {
        var folders = new Dictionary<string, FileStamp>(StringComparer.Ordinal);
        foreach (var prefix in prefixes)
        {
            if (folders.ContainsKey(prefix))
            {
                continue;
            }

            if (_cache.FolderStamp(prefix) is not { Inode: not 0 } stamp || !IsSettled(stamp))
            {
                return null;
            }

            folders[prefix] = stamp;
        }

        return folders;
    }

    private static void Mark(string label, string what)
    {
        if (PhaseTimings.Enabled)
        {
            PhaseTimings.Mark($"hash: {label} {what}");
        }
    }

    /// <summary>Whether a file was last modified outside the racy window (an edit in the same clock tick as the stat could go unseen).</summary>
    private bool IsSettled(FileStamp stamp) => _time.GetUtcNow() - DateTimeOffset.UnixEpoch.AddTicks(stamp.MtimeNs / 100) > RacyWindow;

    private sealed record HashedFolder(DirectoryEntry[]? Entries, BlobRef Listing, long Size, int Count);

    /// <summary>Hash and size of one file; the size is the bytes actually hashed (or the stat size on a stat-cache hit).</summary>
    private async Task<(string Sha256, long Size)> HashOneAsync(string fullPath, FileStamp? listed, bool store, ProgressCounter counter, CancellationToken cancellationToken, bool consultFiles = true, bool rememberFile = true)
    {
        var stamp = listed ?? FileStamp.Read(fullPath) ?? throw ReproException.Usage($"cannot read {fullPath}");
        if (consultFiles && _statCache.TryGet(fullPath, stamp, out var known) && (!store || _cache.Contains(known)))
        {
            Interlocked.Increment(ref _statCacheHits);
            counter.AddBytes(stamp.Size);
            return (known, stamp.Size);
        }

        long hashedSize;

        string sha;
        if (stamp.Size <= SmallFile && Repro.Platform.LibC.TryReadSmallFile(fullPath, stamp.Size) is { } small)
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

        if (rememberFile && IsSettled(stamp))
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

        /// <summary>Every file at once (a folder answered by its snapshot).</summary>
        public void AllDone()
        {
            Interlocked.Exchange(ref _files, filesTotal);
            Interlocked.Exchange(ref _bytes, bytesTotal);
            progress?.Report(new HashProgress(label, filesTotal, filesTotal, bytesTotal, bytesTotal));
        }

        public void FileDone()
        {
            var files = Interlocked.Increment(ref _files);
            progress?.Report(new HashProgress(label, files, filesTotal, Interlocked.Read(ref _bytes), bytesTotal));
        }
    }
}
