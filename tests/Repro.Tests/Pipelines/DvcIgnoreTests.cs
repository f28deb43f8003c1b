// md5 is the content address DVC uses; these tests compute it on purpose.
#pragma warning disable CA5351

using System.Security.Cryptography;
using System.Text;
using Repro.Blobs.Hashing;
using Repro.Interop.Dvc;

namespace Repro.Tests.Pipelines;

public sealed class DvcIgnoreTests
{
    [Theory]
    [InlineData("*.tmp", "data/a.tmp", false, true)]
    [InlineData("*.tmp", "a.tmpx", false, false)]
    [InlineData("/data/raw", "data/raw", true, true)]
    [InlineData("/data/raw", "x/data/raw", true, false)]
    [InlineData("cache/", "data/cache", true, true)]
    [InlineData("cache/", "data/cache", false, false)]
    [InlineData("data/**/*.log", "data/a/b/c.log", false, true)]
    [InlineData("data/**/*.log", "data/c.log", false, true)]
    [InlineData("**/tmp", "a/b/tmp", true, true)]
    [InlineData("file?.csv", "file1.csv", false, true)]
    [InlineData("file[0-9].csv", "filex.csv", false, false)]
    public void Patterns_match_as_in_gitignore(string pattern, string path, bool isDirectory, bool ignored) =>
        Assert.Equal(ignored, DvcIgnore.Parse([pattern]).IsIgnored(path, isDirectory));

    [Fact]
    public void The_last_matching_pattern_wins_and_comments_are_skipped()
    {
        var ignore = DvcIgnore.Parse(["# comment", "*.csv", "!keep.csv", string.Empty]);
        Assert.True(ignore.IsIgnored("a/drop.csv", false));
        Assert.False(ignore.IsIgnored("a/keep.csv", false));
        Assert.True(DvcIgnore.Parse(["# only comments"]).IsEmpty);
    }

    [Fact]
    public async Task A_folder_hash_leaves_out_what_dvcignore_ignores()
    {
        using var dir = new TempDirectory();
        dir.Write(".dvcignore", "*.tmp\n/d/scratch/\n");
        dir.Write("d/a.csv", "a\n");
        dir.Write("d/b.tmp", "junk\n");
        dir.Write("d/scratch/c.csv", "c\n");
        dir.Write("d/sub/scratch/e.csv", "e\n");
        var hasher = new DvcHasher(dir.Path, NullStatCache.Instance, NullStatCache.Instance, TimeProvider.System);
        var entry = await hasher.HashAsync(dir.Combine("d"), "d", DvcHasher.Md5, CancellationToken.None);
        Assert.Equal(DvcMd5.DirHash([("a.csv", Md5("a\n")), ("sub/scratch/e.csv", Md5("e\n"))]), entry!.Hash);
        Assert.Equal(2, entry.Files);

        dir.Write("d/.dvcignore", "x\n");
        var error = await Assert.ThrowsAsync<ReproException>(() => hasher.HashAsync(dir.Combine("d"), "d", DvcHasher.Md5, CancellationToken.None));
        Assert.Contains("d/.dvcignore", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dvcignore_between_the_root_and_a_tracked_folder_applies_below_its_own_folder()
    {
        using var dir = new TempDirectory();
        dir.Write(".dvcignore", "*.tmp\n");
        dir.Write("data/.dvcignore", "/images/raw/\n*.bak\n!keep.tmp\n");
        dir.Write("data/images/a.png", "a");
        dir.Write("data/images/old.bak", "b");
        dir.Write("data/images/raw/c.png", "c");
        dir.Write("data/images/x.tmp", "x");
        dir.Write("data/images/keep.tmp", "k");
        dir.Write("other/images/raw/d.png", "d");
        var hasher = new DvcHasher(dir.Path, NullStatCache.Instance, NullStatCache.Instance, TimeProvider.System);

        // data/.dvcignore's anchored /images/raw/ means data/images/raw; its !keep.tmp overrides the root's *.tmp.
        var entry = await hasher.HashAsync(dir.Combine("data/images"), "data/images", DvcHasher.Md5, CancellationToken.None);
        Assert.Equal(DvcMd5.DirHash([("a.png", Md5("a")), ("keep.tmp", Md5("k"))]), entry!.Hash);

        // It does not reach a folder outside data/.
        var other = await hasher.HashAsync(dir.Combine("other/images"), "other/images", DvcHasher.Md5, CancellationToken.None);
        Assert.Equal(1, other!.Files);
    }

    private static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
}
