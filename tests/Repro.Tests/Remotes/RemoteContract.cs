using Repro.Blobs.Data;
using Repro.Blobs.Hashing;
using Repro.Blobs.Remotes;
using Repro.Blobs.Storage;
using Repro.Model.Workspaces;

namespace Repro.Tests.Remotes;

/// <summary>The behaviour every remote must have; each implementation derives one test class.</summary>
public abstract class RemoteContract
{
    /// <summary>A fresh, empty remote for one test.</summary>
    protected abstract Task<IRemote> OpenAsync(TempDirectory dir);

    /// <summary>Stores raw bytes under a hash, bypassing every check: how a damaged remote looks.</summary>
    protected abstract Task PlantAsync(IRemote remote, string sha256, byte[] bytes);

    [Fact]
    public async Task A_new_remote_lists_nothing_and_has_no_blob()
    {
        using var dir = new TempDirectory();
        await using var remote = await OpenAsync(dir);
        Assert.Empty(await remote.ListAsync(CancellationToken.None));
        var sha = Sha256Hasher.HashBytes("nothing"u8);
        Assert.False(await remote.ContainsAsync(sha, CancellationToken.None));
        Assert.Null(await remote.OpenReadAsync(sha, CancellationToken.None));
    }

    [Fact]
    public async Task A_put_blob_is_listed_contained_and_reads_back_byte_for_byte()
    {
        using var dir = new TempDirectory();
        await using var remote = await OpenAsync(dir);
        var bytes = new byte[300_000];
        new Random(7).NextBytes(bytes);
        var (sha, file) = Blob(dir, bytes);
        await remote.PutAsync(sha, file, CancellationToken.None);
        await remote.PutAsync(sha, file, CancellationToken.None);

        Assert.Equal([sha], await remote.ListAsync(CancellationToken.None));
        Assert.True(await remote.ContainsAsync(sha, CancellationToken.None));
        await using var stream = await remote.OpenReadAsync(sha, CancellationToken.None);
        Assert.NotNull(stream);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task Put_refuses_bytes_that_do_not_hash_to_the_name_and_stores_nothing()
    {
        using var dir = new TempDirectory();
        await using var remote = await OpenAsync(dir);
        var (_, file) = Blob(dir, "the real bytes"u8.ToArray());
        var wrong = Sha256Hasher.HashBytes("other bytes"u8);
        var error = await Assert.ThrowsAsync<ReproException>(() => remote.PutAsync(wrong, file, CancellationToken.None));
        Assert.Equal(ExitCode.CannotExecute, error.Code);
        Assert.Empty(await remote.ListAsync(CancellationToken.None));
        Assert.False(await remote.ContainsAsync(wrong, CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_puts_of_the_same_and_different_blobs_all_land_once()
    {
        using var dir = new TempDirectory();
        await using var remote = await OpenAsync(dir);
        var blobs = Enumerable.Range(0, 40).Select(i => Blob(dir, System.Text.Encoding.UTF8.GetBytes($"blob {i % 20}"))).ToList();
        await Parallel.ForEachAsync(blobs, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (b, ct) => await remote.PutAsync(b.Sha256, b.File, ct));
        Assert.Equal(blobs.Select(b => b.Sha256).Distinct().Order(), (await remote.ListAsync(CancellationToken.None)).Order());
    }

    [Fact]
    public async Task Push_sends_only_what_the_remote_lacks_so_an_interrupted_push_resumes()
    {
        using var dir = new TempDirectory();
        var (tracker, cache, tracked) = await TrackAsync(dir, files: 30);
        await using var remote = await OpenAsync(dir);

        // An earlier push that stopped after one file: only its blob is on the remote.
        var first = Path.Combine(tracked[0].DataPath, "f00.txt");
        var firstSha = (await Sha256Hasher.HashFileAsync(first, null, CancellationToken.None)).Sha256;
        await remote.PutAsync(firstSha, cache.PathFor(firstSha), CancellationToken.None);

        var result = await new DataTransfer(cache, remote, tracker, 3).PushAsync(tracked, CancellationToken.None);
        Assert.Equal(1, result.AlreadyThere);
        Assert.Equal(30 + 1 + 1 - 1, result.Transferred); // 30 files + the listing + the single file, minus the one already there
        Assert.Empty(result.Missing);

        var again = await new DataTransfer(cache, remote, tracker, 3).PushAsync(tracked, CancellationToken.None);
        Assert.Equal(0, again.Transferred);
        Assert.Equal(32, again.AlreadyThere);
    }

    [Fact]
    public async Task Pull_into_an_empty_cache_fetches_the_listing_and_every_file_verified()
    {
        using var dir = new TempDirectory();
        var (tracker, cache, tracked) = await TrackAsync(dir, files: 12);
        await using var remote = await OpenAsync(dir);
        await new DataTransfer(cache, remote, tracker, 4).PushAsync(tracked, CancellationToken.None);

        EmptyCache(cache);
        Assert.False(await tracker.InCacheAsync(tracked[0], CancellationToken.None));
        var result = await new DataTransfer(cache, remote, tracker, 4).PullAsync(tracked, CancellationToken.None);
        Assert.Equal(14, result.Transferred);
        Assert.Empty(result.Missing);
        Assert.Empty(result.Corrupt);
        Assert.All(tracked, t => Assert.True(tracker.InCacheAsync(t, CancellationToken.None).Result));
    }

    [Fact]
    public async Task Pull_discards_a_corrupt_blob_and_never_puts_it_under_its_hash()
    {
        using var dir = new TempDirectory();
        var (tracker, cache, tracked) = await TrackAsync(dir, files: 3);
        await using var remote = await OpenAsync(dir);
        var single = tracked.Single(t => !t.Pointer.IsFolder);
        await PlantAsync(remote, single.Pointer.Sha256, "damaged on the remote"u8.ToArray());

        EmptyCache(cache);
        var result = await new DataTransfer(cache, remote, tracker, 2).PullAsync([single], CancellationToken.None);
        Assert.Single(result.Corrupt);
        Assert.Equal(0, result.Transferred);
        Assert.False(cache.Contains(single.Pointer.Sha256));
        Assert.Empty(ContentCacheTests.TempFiles(cache));
    }

    [Fact]
    public async Task Pull_reports_blobs_the_remote_lacks()
    {
        using var dir = new TempDirectory();
        var (tracker, cache, tracked) = await TrackAsync(dir, files: 2);
        await using var remote = await OpenAsync(dir);
        EmptyCache(cache);
        var result = await new DataTransfer(cache, remote, tracker, 2).PullAsync(tracked, CancellationToken.None);
        Assert.Equal(2, result.Missing.Count); // the single file and the folder listing (its files are unknown without it)
        Assert.Equal(0, result.Transferred);
    }

    protected static (string Sha256, string File) Blob(TempDirectory dir, byte[] bytes)
    {
        var file = dir.Combine("blobs", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllBytes(file, bytes);
        return (Sha256Hasher.HashBytes(bytes), file);
    }

    /// <summary>A workspace with a tracked folder of <paramref name="files"/> files and one tracked file.</summary>
    private static async Task<(DataTracker Tracker, ContentCache Cache, IReadOnlyList<TrackedData> Tracked)> TrackAsync(TempDirectory dir, int files)
    {
        var root = dir.Combine("ws");
        Directory.CreateDirectory(root);
        var (workspace, _) = Workspace.Init(root);
        for (var i = 0; i < files; i++)
        {
            File.WriteAllText(Path.Combine(root, "data", "images", $"f{i:00}.txt").EnsureFolder(), $"image {i}");
        }

        File.WriteAllText(Path.Combine(root, "data", "train.csv"), "a,b\n1,2\n");
        var cache = new ContentCache(workspace.CachePath);
        var tracker = new DataTracker(workspace, cache, NullStatCache.Instance, TimeProvider.System);
        await tracker.AddAsync(["data/images", "data/train.csv"], root, null, CancellationToken.None);
        return (tracker, cache, tracker.FindAll());
    }

    private static void EmptyCache(ContentCache cache)
    {
        foreach (var sha in cache.EnumerateBlobs().ToList())
        {
            File.SetAttributes(cache.PathFor(sha), FileAttributes.Normal);
            File.Delete(cache.PathFor(sha));
        }
    }
}
