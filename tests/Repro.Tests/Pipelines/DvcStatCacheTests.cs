using Repro.Blobs.Hashing;
using Repro.Blobs.Storage;
using Repro.Interop.Dvc;
using Repro.Storage.Sql.StatCache;

namespace Repro.Tests.Pipelines;

public sealed class DvcStatCacheTests
{
    [Fact]
    public async Task Each_digest_has_its_own_table_in_the_same_state_database()
    {
        using var dir = new TempDirectory();
        var database = dir.Combine("state.db");
        var file = dir.Write("a.txt", "a\n");
        var stamp = FileStamp.Read(file)!.Value;
        var sha = new SqliteStatCache(database);
        var md5 = new SqliteStatCache(database, DvcHasher.Md5);
        sha.Put(file, stamp, "sha-value");
        md5.Put(file, stamp, "md5-value");
        await sha.FlushAsync(CancellationToken.None);
        await md5.FlushAsync(CancellationToken.None);

        Assert.True(new SqliteStatCache(database).TryGet(file, stamp, out var s));
        Assert.True(new SqliteStatCache(database, DvcHasher.Md5).TryGet(file, stamp, out var m));
        Assert.False(new SqliteStatCache(database, DvcHasher.Md5Dos2Unix).TryGet(file, stamp, out _));
        Assert.Equal(("sha-value", "md5-value"), (s, m));
        Assert.Throws<ArgumentException>(() => new SqliteStatCache(database, "md5; DROP TABLE x"));
    }

    [Fact]
    public async Task An_unchanged_file_is_not_read_again_for_its_md5()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("data.csv", "x\n1\n");
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(-5));
        var database = dir.Combine("state.db");
        var first = await DvcProject.Hasher(dir.Path, new SqliteStatCacheFactory(database), TimeProvider.System).HashAsync(file, "data.csv", DvcHasher.Md5, CancellationToken.None);

        // A cached md5 is trusted while size, mtime and inode stay the same: prove it by planting a marker.
        var stamp = FileStamp.Read(file)!.Value;
        var cache = new SqliteStatCache(database, DvcHasher.Md5);
        Assert.True(cache.TryGet(file, stamp, out var known));
        Assert.Equal(first!.Hash, known);
        cache.Put(file, stamp, "0123456789abcdef0123456789abcdef");
        await cache.FlushAsync(CancellationToken.None);
        var second = await DvcProject.Hasher(dir.Path, new SqliteStatCacheFactory(database), TimeProvider.System).HashAsync(file, "data.csv", DvcHasher.Md5, CancellationToken.None);
        Assert.Equal("0123456789abcdef0123456789abcdef", second!.Hash);
    }
}
