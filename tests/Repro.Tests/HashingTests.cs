using System.Security.Cryptography;
using System.Text;
using Repro.Blobs.Hashing;
using Repro.Blobs.Storage;
using Repro.Storage.Sql.StatCache;

namespace Repro.Tests;

public sealed class HashingTests
{
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    public async Task File_hash_matches_the_published_SHA256_vectors(string content, string expected)
    {
        using var dir = new TempDirectory();
        var path = dir.Write("f.txt", content);
        var (sha, size) = await Sha256Hasher.HashFileAsync(path, null, CancellationToken.None);
        Assert.Equal(expected, sha);
        Assert.Equal(Encoding.UTF8.GetByteCount(content), size);
    }

    [Fact]
    public async Task Large_file_hash_equals_the_one_shot_hash_and_reports_every_byte()
    {
        using var dir = new TempDirectory();
        var bytes = new byte[(5 << 20) + 12345];
        new Random(7).NextBytes(bytes);
        var path = dir.Combine("big.bin");
        await File.WriteAllBytesAsync(path, bytes);
        long reported = 0;
        var (sha, size) = await Sha256Hasher.HashFileAsync(path, n => reported += n, CancellationToken.None);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), sha);
        Assert.Equal(bytes.Length, size);
        Assert.Equal(bytes.Length, reported);
    }

    [Theory]
    [InlineData(16 << 20)] // the largest file hashed on one thread
    [InlineData((37 << 20) + 4321)] // read ahead on a second thread, ending mid-chunk
    [InlineData(24 << 20)] // ending exactly on a chunk boundary
    public async Task Files_hashed_with_a_reader_thread_match_the_one_shot_hash(int length)
    {
        using var dir = new TempDirectory();
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        var path = dir.Combine("big.bin");
        await File.WriteAllBytesAsync(path, bytes);
        long reported = 0;
        var (sha, size) = await Sha256Hasher.HashFileAsync(path, n => reported += n, CancellationToken.None);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), sha);
        Assert.Equal(bytes.Length, size);
        Assert.Equal(bytes.Length, reported);
    }

    [Fact]
    public async Task Cancelling_a_large_hash_stops_it_with_OperationCanceled()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("big.bin");
        await File.WriteAllBytesAsync(path, new byte[40 << 20]);
        using var cancel = new CancellationTokenSource();
        long seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Sha256Hasher.HashFileAsync(
            path,
            n =>
            {
                seen += n;
                if (seen >= 4 << 20)
                {
                    cancel.Cancel();
                }
            },
            cancel.Token));
        Assert.True(seen < 40 << 20, "the hash went on to the end of the file after it was cancelled");
    }

    [Fact]
    public async Task Folder_hash_is_the_hash_of_its_sorted_listing_and_the_listing_is_cached()
    {
        using var dir = new TempDirectory();
        dir.Write("data/b.csv", "2");
        dir.Write("data/a.csv", "1");
        dir.Write("data/sub/z.csv", "3");
        dir.Write("data/B.csv", "4");
        var cache = new ContentCache(dir.Combine("cache"));
        var hasher = new ArtifactHasher(cache, NullStatCache.Instance, TimeProvider.System);

        var record = await hasher.HashAsync(dir.Combine("data"), "data", store: true, null, CancellationToken.None);

        Assert.Equal(Repro.Model.ArtifactKind.Dir, record.Kind);
        Assert.Equal(4, record.Files);
        Assert.Equal(4, record.Size);
        var listing = Encoding.UTF8.GetString(await cache.ReadAllBytesAsync(record.Sha256!, CancellationToken.None));
        var expectedOrder = new[] { "B.csv", "a.csv", "b.csv", "sub/z.csv" };
        var positions = expectedOrder.Select(p => listing.IndexOf($"\"path\":\"{p}\"", StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p >= 0, listing));
        Assert.Equal(positions.Order().ToList(), positions);
        Assert.Equal(Sha256Hasher.HashBytes(Encoding.UTF8.GetBytes(listing)), record.Sha256);
        Assert.StartsWith("[{\"path\":\"B.csv\",\"sha256\":\"", listing, StringComparison.Ordinal);
        Assert.True(cache.Contains(Sha256Hasher.HashBytes("3"u8)));
    }

    [Fact]
    public void The_listing_writer_gives_the_same_bytes_as_canonical_JSON()
    {
        var entries = new[]
        {
            new DirectoryEntry("z/ü \"quoted\".csv", new string('a', 64), 12),
            new DirectoryEntry("A.csv", new string('b', 64), 0),
            new DirectoryEntry("a\\b<tag>&.csv", new string('c', 64), long.MaxValue),
        };
        var expected = Repro.Model.Serialization.CanonicalJson.Serialize(entries.OrderBy(e => e.Path, StringComparer.Ordinal).ToList());
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(ArtifactHasher.Listing(entries)));
    }

    [Fact]
    public async Task Folder_hash_does_not_depend_on_where_the_folder_is()
    {
        using var dir = new TempDirectory();
        dir.Write("one/x/a.txt", "a");
        dir.Write("two/deeper/x/a.txt", "a");
        var hasher = new ArtifactHasher(new ContentCache(dir.Combine("cache")), NullStatCache.Instance, TimeProvider.System);
        var first = await hasher.HashAsync(dir.Combine("one/x"), "one/x", store: false, null, CancellationToken.None);
        var second = await hasher.HashAsync(dir.Combine("two/deeper/x"), "x", store: false, null, CancellationToken.None);
        Assert.Equal(first.Sha256, second.Sha256);
    }

    [Fact]
    public async Task Stat_cache_skips_rehashing_a_file_whose_size_mtime_and_inode_are_unchanged()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("a.txt", "hello");
        var old = DateTime.UtcNow.AddHours(-1);
        File.SetLastWriteTimeUtc(path, old);
        var cache = new ContentCache(dir.Combine("cache"));
        var state = dir.Combine("state.db");
        var first = await new ArtifactHasher(cache, new SqliteStatCache(state), TimeProvider.System).HashAsync(path, "a.txt", store: false, null, CancellationToken.None);

        // Same size, same mtime, same inode, different bytes: only a stat cache hit returns the old hash.
        await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            stream.Write("jello"u8);
        }

        File.SetLastWriteTimeUtc(path, old);
        var second = await new ArtifactHasher(cache, new SqliteStatCache(state), TimeProvider.System).HashAsync(path, "a.txt", store: false, null, CancellationToken.None);
        Assert.Equal(first.Sha256, second.Sha256);

        // A changed mtime invalidates the entry.
        File.SetLastWriteTimeUtc(path, old.AddSeconds(1));
        var third = await new ArtifactHasher(cache, new SqliteStatCache(state), TimeProvider.System).HashAsync(path, "a.txt", store: false, null, CancellationToken.None);
        Assert.Equal(Sha256Hasher.HashBytes("jello"u8), third.Sha256);
    }

    [Fact]
    public async Task Recently_modified_files_are_not_trusted_to_the_stat_cache()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("a.txt", "hello");
        var state = dir.Combine("state.db");
        var cache = new ContentCache(dir.Combine("cache"));
        await new ArtifactHasher(cache, new SqliteStatCache(state), TimeProvider.System).HashAsync(path, "a.txt", store: false, null, CancellationToken.None);
        var stamp = FileStamp.Read(path)!.Value;
        Assert.False(new SqliteStatCache(state).TryGet(path, stamp, out _));
    }

    [Fact]
    public async Task Folder_walk_counts_a_symlinked_file_with_its_target_and_skips_symlinked_folders_and_dangling_links()
    {
        using var dir = new TempDirectory();
        dir.Write("target/inner.txt", "inner");
        var shared = dir.Write("shared.txt", "shared");
        dir.Write("data/a.txt", "a");
        File.CreateSymbolicLink(dir.Combine("data", "linked.txt"), shared);
        File.CreateSymbolicLink(dir.Combine("data", "folder"), dir.Combine("target"));
        File.CreateSymbolicLink(dir.Combine("data", "dangling.txt"), dir.Combine("nowhere.txt"));

        var files = ArtifactHasher.ListFiles(dir.Combine("data"));

        Assert.Equal(["a.txt", "linked.txt"], files.Select(f => f.Relative).Order(StringComparer.Ordinal));
        Assert.Equal("shared".Length, files.Single(f => f.Relative == "linked.txt").Size);
        var cache = new ContentCache(dir.Combine("cache"));
        await new ArtifactHasher(cache, NullStatCache.Instance, TimeProvider.System).HashAsync(dir.Combine("data"), "data", store: true, null, CancellationToken.None);
        Assert.True(cache.Contains(Sha256Hasher.HashBytes("shared"u8)));
        Assert.False(cache.Contains(Sha256Hasher.HashBytes("inner"u8)));
    }

    [Fact]
    public async Task Folder_walk_lists_nested_files_by_relative_path_and_honours_skip()
    {
        using var dir = new TempDirectory();
        dir.Write("data/x/y/deep.txt", "1");
        dir.Write("data/top.txt", "2");
        dir.Write("data/skipped/no.txt", "3");

        var files = ArtifactHasher.ListFiles(dir.Combine("data") + "/", relative => relative == "skipped");

        Assert.Equal(["top.txt", "x/y/deep.txt"], files.Select(f => f.Relative).Order(StringComparer.Ordinal));
        Assert.All(files, f => Assert.Equal(Path.GetFullPath(dir.Combine("data", f.Relative)), f.Full));
        Assert.All(files, f => Assert.Equal(1, f.Size));
        var record = await new ArtifactHasher(new ContentCache(dir.Combine("cache")), NullStatCache.Instance, TimeProvider.System)
            .HashAsync(dir.Combine("data"), "data", store: false, null, CancellationToken.None);
        Assert.Equal(3, record.Files);
    }

    [Fact]
    public async Task Folder_stat_cache_trusts_an_unchanged_stamp_and_rehashes_a_replaced_file_with_the_same_size_and_mtime()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("data/a.txt", "hello");
        dir.Write("data/b.txt", "other");
        var old = DateTime.UtcNow.AddHours(-1);
        File.SetLastWriteTimeUtc(path, old);
        File.SetLastWriteTimeUtc(dir.Combine("data", "b.txt"), old);
        var cache = new ContentCache(dir.Combine("cache"));
        var state = dir.Combine("state.db");
        async Task<Repro.Model.ArtifactRecord> HashAsync() =>
            await new ArtifactHasher(cache, new SqliteStatCache(state), TimeProvider.System).HashAsync(dir.Combine("data"), "data", store: true, null, CancellationToken.None);
        var first = await HashAsync();

        // Same size, mtime and inode, other bytes: the folder pass trusts the stat cache (so its stamps are the ones stored).
        await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            stream.Write("jello"u8);
        }

        File.SetLastWriteTimeUtc(path, old);
        Assert.Equal(first.Sha256, (await HashAsync()).Sha256);

        // Replaced by another file (a new inode) with the same size and mtime: hashed again.
        var replacement = dir.Write("replacement.txt", "jello");
        File.SetLastWriteTimeUtc(replacement, old);
        File.Move(replacement, path, overwrite: true);
        var third = await HashAsync();
        Assert.NotEqual(first.Sha256, third.Sha256);
        Assert.True(cache.Contains(Sha256Hasher.HashBytes("jello"u8)));
    }

    [Fact]
    public async Task Missing_path_gives_a_missing_record()
    {
        using var dir = new TempDirectory();
        var hasher = new ArtifactHasher(new ContentCache(dir.Combine("cache")), NullStatCache.Instance, TimeProvider.System);
        var record = await hasher.HashAsync(dir.Combine("nope"), "nope", store: true, null, CancellationToken.None);
        Assert.Equal(Repro.Model.ArtifactKind.Missing, record.Kind);
        Assert.Null(record.Sha256);
    }
}
