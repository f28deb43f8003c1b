using Repro.Blobs.Hashing;
using Repro.Blobs.Storage;

namespace Repro.Tests;

public sealed class ContentCacheTests
{
    [Fact]
    public async Task Blobs_live_under_sha256_two_letter_folders_read_only_with_no_temp_files_left()
    {
        using var dir = new TempDirectory();
        var cache = new ContentCache(dir.Combine("cache"));
        var blob = await cache.AddBytesAsync("hello"u8.ToArray(), CancellationToken.None);
        var expected = Sha256Hasher.HashBytes("hello"u8);
        Assert.Equal(expected, blob.Sha256);
        var path = dir.Combine("cache", "sha256", expected[..2], expected[2..]);
        Assert.True(File.Exists(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(path));
        Assert.Empty(TempFiles(cache));
    }

    [Fact]
    public async Task A_file_that_does_not_match_its_expected_hash_is_never_published()
    {
        using var dir = new TempDirectory();
        var cache = new ContentCache(dir.Combine("cache"));
        var source = dir.Write("a.txt", "changed");
        var claimed = Sha256Hasher.HashBytes("original"u8);
        var error = await Assert.ThrowsAsync<ReproException>(() => cache.AddFileAsync(source, claimed, CancellationToken.None));
        Assert.Contains("changed while it was being hashed", error.Message, StringComparison.Ordinal);
        Assert.False(cache.Contains(claimed));

        // A small file is checked in memory, before any temp file exists.
        Assert.Empty(TempFiles(cache));
    }

    [Fact]
    public async Task A_stored_blob_leaves_no_temp_file_and_a_left_over_one_is_not_a_blob()
    {
        using var dir = new TempDirectory();
        var cache = new ContentCache(dir.Combine("cache"));
        var blob = await cache.AddBytesAsync("some bytes"u8.ToArray(), CancellationToken.None);
        var folder = Path.GetDirectoryName(cache.PathFor(blob.Sha256))!;
        Assert.Equal([cache.PathFor(blob.Sha256)], Directory.GetFiles(folder));

        // What a kill between the write and the rename leaves: a dot-named file beside the blob.
        File.WriteAllText(Path.Combine(folder, ".0123456789abcdef0123456789abcdef.tmp"), "half");
        Assert.Equal([blob.Sha256], cache.EnumerateBlobs().ToList());
    }

    [Fact]
    public async Task Adding_the_same_bytes_twice_is_harmless()
    {
        using var dir = new TempDirectory();
        var cache = new ContentCache(dir.Combine("cache"));
        var source = dir.Write("a.txt", "same");
        var sha = Sha256Hasher.HashBytes("same"u8);
        await cache.AddFileAsync(source, sha, CancellationToken.None);
        await cache.AddFileAsync(source, sha, CancellationToken.None);
        await cache.AddBytesAsync("same"u8.ToArray(), CancellationToken.None);
        Assert.Equal("same", await File.ReadAllTextAsync(cache.PathFor(sha)));
    }

    [Fact]
    public async Task A_small_download_is_published_read_only_only_when_it_hashes_to_its_name()
    {
        using var dir = new TempDirectory();
        var cache = new ContentCache(dir.Combine("cache"));
        var good = Sha256Hasher.HashBytes("good"u8);

        var refused = await cache.AddStreamAsync(new MemoryStream("evil"u8.ToArray()), good, CancellationToken.None);
        Assert.Equal(Sha256Hasher.HashBytes("evil"u8), refused);
        Assert.False(cache.Contains(good));

        Assert.Null(await cache.AddStreamAsync(new MemoryStream("good"u8.ToArray()), good, CancellationToken.None));
        Assert.Equal("good", await File.ReadAllTextAsync(cache.PathFor(good)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(cache.PathFor(good)));
        Assert.Empty(TempFiles(cache));
    }

    [Fact]
    public void A_folder_under_a_blob_name_is_not_a_blob()
    {
        using var dir = new TempDirectory();
        var cache = new ContentCache(dir.Combine("cache"));
        var sha = Sha256Hasher.HashBytes("x"u8);
        Directory.CreateDirectory(cache.PathFor(sha));
        Assert.False(cache.Contains(sha));
        Assert.False(cache.Contains(Sha256Hasher.HashBytes("y"u8)));
    }

    [Fact]
    public void Bad_hashes_are_rejected()
    {
        var cache = new ContentCache("/tmp/unused");
        Assert.Throws<ArgumentException>(() => cache.PathFor("../../etc/passwd"));
        Assert.Throws<ArgumentException>(() => cache.PathFor(new string('A', 64)));
    }

    /// <summary>Temp files anywhere in the cache: in tmp/ (large downloads) or beside a blob (small ones).</summary>
    internal static IEnumerable<string> TempFiles(ContentCache cache) =>
        Directory.Exists(cache.Root) ? Directory.EnumerateFiles(cache.Root, "*.tmp", SearchOption.AllDirectories) : [];
}
