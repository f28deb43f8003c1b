using System.Text;
using Repro.Blobs.Data;
using Repro.Blobs.Hashing;
using Repro.Blobs.Storage;
using Repro.Model.Workspaces;
using Repro.Storage.Sql.StatCache;

namespace Repro.Tests;

/// <summary>The stat cache's snapshot of a folder: trusted only while the walk finds the same files with the same stats.</summary>
public sealed class FolderSnapshotTests
{
    [Fact]
    public void A_snapshot_reads_back_only_for_its_own_folder_and_only_when_whole()
    {
        var sha = Sha256Hasher.HashBytes("a"u8);
        FileStamp stamp = new(1, 1_700_000_000_000_000_000, 42);
        var snapshot = FolderSnapshot.Create("/data", Sha256Hasher.HashBytes("listing"u8), 7, [new StampedFile("d/é.bin", stamp, sha)]);
        var bytes = snapshot.Bytes.ToArray();

        var read = FolderSnapshot.Read(bytes, "/data");
        Assert.NotNull(read);
        Assert.Equal(snapshot.ListingSha256, read.ListingSha256);
        Assert.Equal(7, read.ListingSize);
        Assert.Equal([new StampedFile("d/é.bin", stamp, sha)], read.Files);
        Assert.True(read.Matches(0, "d/é.bin", stamp));
        Assert.False(read.Matches(0, "d/Ã©.bin", stamp));
        Assert.False(read.Matches(0, "d/é.bin", stamp with { Inode = 43 }));
        Assert.False(read.Matches(0, "d/é.bim", stamp));

        Assert.Null(FolderSnapshot.Read(bytes, "/other"));
        Assert.Null(FolderSnapshot.Read(bytes[..^1], "/data"));
        Assert.Null(FolderSnapshot.Read([.. bytes, 0], "/data"));
        Assert.Null(FolderSnapshot.Read(Encoding.UTF8.GetBytes("not a snapshot"), "/data"));
    }

    [Fact]
    public async Task An_unchanged_folder_is_answered_by_its_snapshot_and_a_changed_file_alone_is_hashed_again()
    {
        using var dir = new TempDirectory();
        var old = DateTime.UtcNow.AddHours(-1);
        for (var i = 0; i < 5; i++)
        {
            File.SetLastWriteTimeUtc(dir.Write($"data/f{i}.txt", $"file {i}"), old);
        }

        var cache = new ContentCache(dir.Combine("cache"));
        var state = dir.Combine("state.db");
        ArtifactHasher NewHasher() => new(cache, new SqliteStatCache(state), TimeProvider.System);
        var first = await NewHasher().HashAsync(dir.Combine("data"), "data", store: true, null, CancellationToken.None);
        Assert.True(Directory.Exists(dir.Combine("state-folders")));

        var again = NewHasher();
        Assert.Equal(first.Sha256, (await again.HashAsync(dir.Combine("data"), "data", store: true, null, CancellationToken.None)).Sha256);
        Assert.Equal(5, again.StatCacheHits);

        // One file edited (new mtime): the other four come from the snapshot, and the hash is the uncached one.
        File.WriteAllText(dir.Combine("data", "f2.txt"), "edited");
        File.SetLastWriteTimeUtc(dir.Combine("data", "f2.txt"), old.AddSeconds(5));
        var edited = NewHasher();
        var record = await edited.HashAsync(dir.Combine("data"), "data", store: true, null, CancellationToken.None);
        Assert.Equal(4, edited.StatCacheHits);
        var uncached = await new ArtifactHasher(new ContentCache(dir.Combine("other-cache")), NullStatCache.Instance, TimeProvider.System).HashAsync(dir.Combine("data"), "data", store: false, null, CancellationToken.None);
        Assert.Equal(uncached.Sha256, record.Sha256);
        Assert.NotEqual(first.Sha256, record.Sha256);

        // A file added, then one removed: the snapshot no longer matches the walk.
        File.SetLastWriteTimeUtc(dir.Write("data/new.txt", "new"), old);
        Assert.NotEqual(record.Sha256, (await NewHasher().HashAsync(dir.Combine("data"), "data", store: true, null, CancellationToken.None)).Sha256);
        File.Delete(dir.Combine("data", "new.txt"));
        Assert.Equal(record.Sha256, (await NewHasher().HashAsync(dir.Combine("data"), "data", store: true, null, CancellationToken.None)).Sha256);
    }

    [Fact]
    public async Task Recently_modified_files_are_left_out_of_the_snapshot_and_hashed_again()
    {
        using var dir = new TempDirectory();
        File.SetLastWriteTimeUtc(dir.Write("data/old.txt", "old"), DateTime.UtcNow.AddHours(-1));
        dir.Write("data/fresh.txt", "fresh");
        var cache = new ContentCache(dir.Combine("cache"));
        var state = dir.Combine("state.db");
        await new ArtifactHasher(cache, new SqliteStatCache(state), TimeProvider.System).HashAsync(dir.Combine("data"), "data", store: false, null, CancellationToken.None);

        var second = new ArtifactHasher(cache, new SqliteStatCache(state), TimeProvider.System);
        await second.HashAsync(dir.Combine("data"), "data", store: false, null, CancellationToken.None);
        Assert.Equal(1, second.StatCacheHits);
    }

    [Fact]
    public async Task A_blob_removed_from_the_cache_is_noticed_although_the_snapshot_vouches_for_the_folder()
    {
        using var dir = new TempDirectory();
        var (workspace, _) = Workspace.Init(dir.Path);
        var old = DateTime.UtcNow.AddHours(-1);
        for (var i = 0; i < 20; i++)
        {
            File.SetLastWriteTimeUtc(dir.Write($"data/f{i:00}.txt", $"file {i}"), old);
        }

        var cache = new ContentCache(workspace.CachePath);
        DataTracker NewTracker() => new(workspace, cache, new SqliteStatCache(workspace.StatePath), TimeProvider.System);
        await NewTracker().AddAsync(["data"], dir.Path, null, CancellationToken.None);

        // The cache's fan-out folders settled (as minutes after an add): a status remembers them with the snapshot.
        foreach (var folder in Directory.EnumerateDirectories(Path.Combine(workspace.CachePath, "sha256")))
        {
            Directory.SetLastWriteTimeUtc(folder, old);
        }

        var tracker = NewTracker();
        Assert.Equal(DataState.Unchanged, (await tracker.StatusAsync(tracker.FindAll(), CancellationToken.None)).Single().State);
        Assert.Equal(DataState.Unchanged, (await NewTracker().StatusAsync(tracker.FindAll(), CancellationToken.None)).Single().State);

        var gone = Sha256Hasher.HashBytes("file 7"u8);
        File.Delete(cache.PathFor(gone));
        Assert.Equal(DataState.NotInCache, (await NewTracker().StatusAsync(tracker.FindAll(), CancellationToken.None)).Single().State);

        // Hashing the folder into the cache again (as `--dep` does) puts the blob back.
        var hasher = new ArtifactHasher(cache, new SqliteStatCache(workspace.StatePath), TimeProvider.System);
        await hasher.HashAsync(dir.Combine("data"), "data", store: true, null, CancellationToken.None);
        Assert.True(cache.Contains(gone));
        Assert.Equal(DataState.Unchanged, (await NewTracker().StatusAsync(tracker.FindAll(), CancellationToken.None)).Single().State);
    }
}
