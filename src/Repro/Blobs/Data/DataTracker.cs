using System.Collections.Concurrent;
using System.IO.Enumeration;
using Repro.Blobs.Hashing;
using Repro.Blobs.Storage;
using Repro.Model.Serialization;
using Repro.Model.Workspaces;

namespace Repro.Blobs.Data;

/// <summary>
/// Versioned data in a workspace: <c>add</c> hashes files and folders into the cache and writes
/// their pointer files, <c>status</c> compares the workspace with the pointers (through the stat
/// cache, so unchanged data is not re-read), <c>checkout</c> puts the recorded bytes back.
/// </summary>
public sealed class DataTracker
{
    private const int MaxListed = 5;

    private readonly Workspace _workspace;
    private readonly ContentCache _cache;
    private readonly IStatCache _statCache;
    private readonly ArtifactHasher _hasher;

    public DataTracker(Workspace workspace, ContentCache cache, IStatCache statCache, TimeProvider time)
    {
        _workspace = workspace;
        _cache = cache;
        _statCache = statCache;
        _hasher = new ArtifactHasher(cache, statCache, time);
    }

    /// <summary>Hashes each path into the cache and writes (or refreshes) its pointer file and .gitignore entry.</summary>
    public async Task<IReadOnlyList<AddResult>> AddAsync(IReadOnlyList<string> inputs, string baseFolder, IProgress<HashProgress>? progress, CancellationToken cancellationToken)
    {
        // Everything is checked before anything is written: a bad path changes nothing.
        var paths = new List<string>();
        foreach (var input in inputs)
        {
            var full = WorkspacePaths.Resolve(_workspace, baseFolder, input, "data add");
            CheckAddable(input, full);
            if (!paths.Contains(full, StringComparer.Ordinal))
            {
                paths.Add(full);
            }
        }

        await RefuseGitTrackedAsync(paths, cancellationToken);
        var results = new List<AddResult>();
        foreach (var full in paths)
        {
            var relative = _workspace.Relative(full);
            var record = await _hasher.HashAsync(full, relative, store: true, progress, cancellationToken);
            var pointer = new PointerFile
            {
                Sha256 = record.Sha256!,
                Size = record.Size ?? 0,
                Files = record.Kind == Repro.Model.ArtifactKind.Dir ? record.Files ?? 0 : null,
                Path = Path.GetFileName(full),
            };
            var pointerPath = full + PointerFile.Extension;
            var yaml = pointer.ToYaml();
            var changed = !File.Exists(pointerPath) || new FileInfo(pointerPath).Length > PointerLimits.DefaultMaxBytes || await File.ReadAllTextAsync(pointerPath, cancellationToken) != yaml;
            if (changed)
            {
                await AtomicFile.WriteAllTextAsync(pointerPath, yaml, cancellationToken);
            }

            await GitIgnore.AddAsync(full, cancellationToken);
            results.Add(new AddResult(relative, _workspace.Relative(pointerPath), pointer, changed));
        }

        return results;
    }

    /// <summary>
    /// Data git already tracks would stay in git despite the .gitignore entry (and be committed
    /// twice): refuse, with the command that stops git tracking it. Outside git, nothing to do.
    /// </summary>
    private async Task RefuseGitTrackedAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        Capture.ProcessCapture.Result? listed;
        try
        {
            listed = await Capture.ProcessCapture.RunAsync("git", ["-C", _workspace.Root, "ls-files", "-z", "--", .. paths], _workspace.Root, null, cancellationToken, TimeSpan.FromMinutes(1));
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return;
        }

        if (listed is not { ExitCode: 0 } || listed.Stdout.Length == 0)
        {
            return;
        }

        var first = listed.StdoutText.Split('\0', StringSplitOptions.RemoveEmptyEntries)[0];
        var tracked = paths.First(p => WorkspacePaths.IsInside(p, Path.GetFullPath(first, _workspace.Root)) || Path.GetFullPath(first, _workspace.Root) == p);
        var relative = _workspace.Relative(tracked);
        throw ReproException.Conflict($"data add: git already tracks {first}; stop git tracking it first (`git rm -r --cached {relative}`), then add it again");
    }

    /// <summary>Every pointer file in the workspace (not descending into .repro, .git, tracked folders or symlinked folders).</summary>
    public IReadOnlyList<TrackedData> FindAll()
    {
        var found = new List<string>();
        var pending = new Stack<string>();
        pending.Push(_workspace.Root);
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = true };
        while (pending.Count > 0)
        {
            var folder = pending.Pop();
            var entries = new FileSystemEnumerable<(string Name, bool IsDirectory, bool IsLink)>(
                folder,
                (ref FileSystemEntry e) => (e.FileName.ToString(), e.IsDirectory, (e.Attributes & FileAttributes.ReparsePoint) != 0),
                options).ToList();
            var names = entries.Where(e => !e.IsDirectory).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var (name, isDirectory, isLink) in entries)
            {
                if (isDirectory)
                {
                    if (!isLink && name is not (Workspace.DirectoryName or ".git") && !names.Contains(name + PointerFile.Extension))
                    {
                        pending.Push(Path.Combine(folder, name));
                    }
                }
                else if (name.Length > PointerFile.Extension.Length && name.EndsWith(PointerFile.Extension, StringComparison.Ordinal) && !isLink)
                {
                    found.Add(Path.Combine(folder, name));
                }
            }
        }

        found.Sort(StringComparer.Ordinal);
        return found.Select(Load).ToList();
    }

    /// <summary>
    /// The tracked data the user named: a data path, its pointer file, or a folder holding pointer
    /// files; none named means all of them.
    /// </summary>
    public IReadOnlyList<TrackedData> Select(IReadOnlyList<string> inputs, string baseFolder)
    {
        if (inputs.Count == 0)
        {
            return FindAll();
        }

        var all = new Lazy<IReadOnlyList<TrackedData>>(FindAll);
        var selected = new List<TrackedData>();
        foreach (var input in inputs)
        {
            var full = WorkspacePaths.Resolve(_workspace, baseFolder, input, "data");
            var pointer = full.EndsWith(PointerFile.Extension, StringComparison.Ordinal) && File.Exists(full) ? full : full + PointerFile.Extension;
            if (File.Exists(pointer))
            {
                selected.Add(Load(pointer));
                continue;
            }

            var under = all.Value.Where(t => WorkspacePaths.IsInside(full, t.DataPath)).ToList();
            if (under.Count == 0)
            {
                throw ReproException.Usage($"{input} is not tracked (no {Path.GetFileName(pointer)}; run `repro data add {input}`)");
            }

            selected.AddRange(under);
        }

        return selected.DistinctBy(t => t.PointerPath).ToList();
    }

    /// <summary>Reads one pointer file and checks the path it names stays in the workspace.</summary>
    public TrackedData Load(string pointerPath)
    {
        var label = _workspace.Relative(pointerPath);
        string text;
        try
        {
            text = BoundedFile.ReadAllText(pointerPath, PointerLimits.MaxBytes, label);
        }
        catch (IOException ex)
        {
            throw ReproException.Io($"cannot read {label}: {ex.Message}");
        }

        var pointer = PointerFile.Parse(text, label);
        var data = WorkspacePaths.Resolve(_workspace, Path.GetDirectoryName(pointerPath)!, pointer.Path, label);
        return new TrackedData { PointerPath = pointerPath, DataPath = data, Relative = _workspace.Relative(data), Pointer = pointer };
    }

    public async Task<IReadOnlyList<DataStatus>> StatusAsync(IReadOnlyList<TrackedData> tracked, CancellationToken cancellationToken)
    {
        var result = new List<DataStatus>();
        foreach (var item in tracked)
        {
            var (current, entries) = await CurrentHashAsync(item, cancellationToken);
            var state = current is null ? DataState.Missing
                : current != item.Pointer.Sha256 ? DataState.Modified
                : await InCacheAsync(item, entries, cancellationToken) ? DataState.Unchanged
                : DataState.NotInCache;
            result.Add(new DataStatus(item.Relative, state, item.Pointer.Sha256, current));
        }

        await _statCache.FlushAsync(cancellationToken);
        return result;
    }

    /// <summary>Whether every blob the pointer needs (for a folder: the listing and each file) is in the local cache.</summary>
    public Task<bool> InCacheAsync(TrackedData item, CancellationToken cancellationToken) => InCacheAsync(item, null, cancellationToken);

    /// <summary>
    /// As <see cref="InCacheAsync(TrackedData, CancellationToken)"/>; <paramref name="entries"/> are
    /// the folder's files as just hashed, when they hash to the pointer (then they are its listing
    /// and it need not be read back).
    /// </summary>
    private async Task<bool> InCacheAsync(TrackedData item, IReadOnlyList<DirectoryEntry>? entries, CancellationToken cancellationToken)
    {
        if (!_cache.Contains(item.Pointer.Sha256))
        {
            return false;
        }

        if (!item.Pointer.IsFolder)
        {
            return true;
        }

        // The hasher answers from the folder's snapshot when the cache's fan-out folders are as it saw them.
        var listing = entries ?? await ReadListingAsync(item, cancellationToken);
        return _hasher.AllInCache(item.DataPath, item.Pointer.Sha256, listing, cancellationToken);
    }

    /// <summary>The folder's listing from the cache, every path checked to stay inside the folder.</summary>
    public async Task<IReadOnlyList<DirectoryEntry>> ReadListingAsync(TrackedData item, CancellationToken cancellationToken)
    {
        List<DirectoryEntry> entries;
        try
        {
            entries = await DirectoryListing.ReadAsync(_cache, item.Pointer.Sha256, cancellationToken);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw ReproException.CannotExecute($"the cached listing of {item.Relative} (sha256 {item.Pointer.Sha256[..12]}) is not a folder listing ({ex.Message}); run `repro data fsck`");
        }

        foreach (var entry in entries)
        {
            if (!IsSafeRelative(entry.Path) || !PointerFile.IsSha256(entry.Sha256))
            {
                throw ReproException.CannotExecute($"the cached listing of {item.Relative} names an unsafe path or hash ('{entry.Path}'); nothing was written");
            }
        }

        return entries;
    }

    /// <summary>
    /// Restores tracked data from the cache. Files that differ from their pointer are only
    /// overwritten (and untracked files in a tracked folder only removed) with <paramref name="force"/>;
    /// without it nothing at all is written when any would be.
    /// </summary>
    public async Task<IReadOnlyList<CheckoutResult>> CheckoutAsync(IReadOnlyList<TrackedData> tracked, bool force, CancellationToken cancellationToken)
    {
        var plans = new List<CheckoutPlan>();
        foreach (var item in tracked)
        {
            plans.Add(await PlanAsync(item, cancellationToken));
        }

        await _statCache.FlushAsync(cancellationToken);
        var conflicts = plans.SelectMany(p => p.Conflicts).ToList();
        if (conflicts.Count > 0 && !force)
        {
            var shown = string.Join(", ", conflicts.Take(MaxListed)) + (conflicts.Count > MaxListed ? $" and {conflicts.Count - MaxListed} more" : string.Empty);
            throw ReproException.Usage($"checkout would overwrite changes in the workspace: {shown}; nothing was changed (commit them with `repro data add`, or discard them with --force)");
        }

        var results = new List<CheckoutResult>();
        foreach (var plan in plans)
        {
            foreach (var path in plan.Removes)
            {
                if (Directory.Exists(path))
                {
                    BlobLinker.DeleteTree(path);
                }
                else if (File.Exists(path))
                {
                    File.SetAttributes(path, FileAttributes.Normal);
                    File.Delete(path);
                }
            }

            var kinds = new ConcurrentDictionary<LinkKind, int>();
            await Parallel.ForEachAsync(
                plan.Writes,
                new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
                (write, _) =>
                {
                    var kind = BlobLinker.Place(_cache.PathFor(write.Sha256), write.Target, allowHardlink: true);
                    kinds.AddOrUpdate(kind, 1, (_, n) => n + 1);
                    return ValueTask.CompletedTask;
                });
            results.Add(new CheckoutResult(plan.Item.Relative, plan.Writes.Count, plan.Removes.Count, kinds.ToDictionary()));
        }

        return results;
    }

    private async Task<CheckoutPlan> PlanAsync(TrackedData item, CancellationToken cancellationToken)
    {
        var plan = new CheckoutPlan(item);
        var target = item.DataPath;
        RequireBlob(item, item.Pointer.Sha256, item.Relative);
        if (!item.Pointer.IsFolder)
        {
            if (File.Exists(target))
            {
                var current = await _hasher.HashAsync(target, item.Relative, store: false, null, cancellationToken);
                if (current.Sha256 == item.Pointer.Sha256)
                {
                    return plan;
                }

                plan.Conflicts.Add($"{item.Relative} (modified)");
            }
            else if (Directory.Exists(target))
            {
                plan.Conflicts.Add($"{item.Relative} (a folder where a file is tracked)");
                plan.Removes.Add(target);
            }

            plan.Writes.Add(new BlobWrite(item.Pointer.Sha256, target));
            return plan;
        }

        var listing = await ReadListingAsync(item, cancellationToken);
        foreach (var entry in listing)
        {
            RequireBlob(item, entry.Sha256, $"{item.Relative}/{entry.Path}");
        }

        var currentFiles = new Dictionary<string, string>(StringComparer.Ordinal);
        if (File.Exists(target))
        {
            plan.Conflicts.Add($"{item.Relative} (a file where a folder is tracked)");
            plan.Removes.Add(target);
        }
        else if (Directory.Exists(target))
        {
            var (entries, _) = await _hasher.HashEntriesAsync(target, item.Relative, store: false, null, cancellationToken);
            foreach (var entry in entries)
            {
                currentFiles[entry.Path] = entry.Sha256;
            }
        }

        var listed = new HashSet<string>(StringComparer.Ordinal);
        var realTarget = WorkspacePaths.RealPath(target);
        var checkedFolders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in listing)
        {
            listed.Add(entry.Path);
            if (currentFiles.TryGetValue(entry.Path, out var sha))
            {
                if (sha == entry.Sha256)
                {
                    continue;
                }

                plan.Conflicts.Add($"{item.Relative}/{entry.Path} (modified)");
            }

            var file = Path.Combine(target, entry.Path.Replace('/', Path.DirectorySeparatorChar));
            var parent = Path.GetDirectoryName(file)!;
            if (checkedFolders.Add(parent) && !WorkspacePaths.IsInside(realTarget, WorkspacePaths.RealPath(parent)))
            {
                throw ReproException.Usage($"cannot check out {item.Relative}/{entry.Path}: a symbolic link in the workspace leads out of {item.Relative}; nothing was changed");
            }

            plan.Writes.Add(new BlobWrite(entry.Sha256, file));
        }

        foreach (var extra in currentFiles.Keys.Where(p => !listed.Contains(p)).Order(StringComparer.Ordinal))
        {
            // A checkout killed before its rename left this temp file: ours, removed without asking.
            if (!BlobLinker.IsLeftover(extra[(extra.LastIndexOf('/') + 1)..]))
            {
                plan.Conflicts.Add($"{item.Relative}/{extra} (not in the pointer)");
            }

            plan.Removes.Add(Path.Combine(target, extra.Replace('/', Path.DirectorySeparatorChar)));
        }

        return plan;
    }

    private void RequireBlob(TrackedData item, string sha256, string what)
    {
        if (!_cache.Contains(sha256))
        {
            throw ReproException.CannotExecute($"cannot check out {what}: its bytes (sha256 {sha256[..12]}) are not in the cache; run `repro data pull {item.Relative}`; nothing was changed");
        }
    }

    private async Task<(string? Sha256, IReadOnlyList<DirectoryEntry>? Entries)> CurrentHashAsync(TrackedData item, CancellationToken cancellationToken)
    {
        if (Directory.Exists(item.DataPath))
        {
            var (entries, listing) = await _hasher.HashEntriesAsync(item.DataPath, item.Relative, store: false, null, cancellationToken);
            return (listing.Sha256, entries);
        }

        if (File.Exists(item.DataPath))
        {
            return ((await _hasher.HashAsync(item.DataPath, item.Relative, store: false, null, cancellationToken)).Sha256, null);
        }

        return (null, null);
    }

    private void CheckAddable(string input, string full)
    {
        var info = new FileInfo(full);
        if (info.LinkTarget is not null)
        {
            throw ReproException.Usage($"data add: {input} is a symbolic link; add the file or folder it points to instead");
        }

        if (!File.Exists(full) && !Directory.Exists(full))
        {
            throw ReproException.NotFound($"data add: no such file or folder: {input}");
        }

        if (full.EndsWith(PointerFile.Extension, StringComparison.Ordinal) && File.Exists(full))
        {
            throw ReproException.Usage($"data add: {input} is a pointer file; add the data it points to");
        }

        for (var folder = Path.GetDirectoryName(full); folder is not null && folder.Length > _workspace.Root.Length; folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(folder + PointerFile.Extension))
            {
                throw ReproException.Usage($"data add: {input} is inside the tracked folder {_workspace.Relative(folder)}; add that folder again instead");
            }
        }

        if (Directory.Exists(full))
        {
            CheckFolder(input, full);
        }
    }

    /// <summary>No pointer files inside (they would overlap) and no symlinked file leading out of the workspace.</summary>
    private void CheckFolder(string input, string folder)
    {
        // The hasher's own walk (readdir types, no stat a file): what it would hash is what is checked.
        var realRoot = WorkspacePaths.RealPath(_workspace.Root);
        foreach (var file in ArtifactHasher.Enumerate(folder, null, stat: false))
        {
            if (file.IsLink && !WorkspacePaths.IsInside(realRoot, WorkspacePaths.RealPath(file.Full)))
            {
                throw ReproException.Usage($"data add: {_workspace.Relative(file.Full)} inside {input} is a symbolic link out of the workspace (to {WorkspacePaths.RealPath(file.Full)}); nothing was added");
            }

            if (!file.IsLink && file.Relative.EndsWith(PointerFile.Extension, StringComparison.Ordinal))
            {
                throw ReproException.Usage($"data add: {input} contains the pointer file {_workspace.Relative(file.Full)}; tracked data cannot overlap");
            }
        }
    }

    private static bool IsSafeRelative(string path) =>
        path.Length > 0 && !path.StartsWith('/') && !path.Contains('\\', StringComparison.Ordinal) && !path.Contains('\0', StringComparison.Ordinal)
        && path.Split('/').All(part => part.Length > 0 && part is not (".." or "."));

    private sealed record BlobWrite(string Sha256, string Target);

    private sealed class CheckoutPlan(TrackedData item)
    {
        public TrackedData Item { get; } = item;

        public List<string> Conflicts { get; } = [];

        public List<string> Removes { get; } = [];

        public List<BlobWrite> Writes { get; } = [];
    }
}
