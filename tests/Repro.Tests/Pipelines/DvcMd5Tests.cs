// md5 is the content address DVC uses; these tests compute it on purpose.
#pragma warning disable CA5351

using System.Security.Cryptography;
using System.Text;
using Repro.Blobs.Hashing;
using Repro.Interop.Dvc;

namespace Repro.Tests.Pipelines;

public sealed class DvcMd5Tests
{
    private static DvcHasher Hasher(string root) => new(root, NullStatCache.Instance, NullStatCache.Instance, TimeProvider.System);

    [Fact]
    public async Task Folder_hash_equals_the_one_DVC_wrote_in_a_real_lock_file()
    {
        // example-get-started@a7e0c7d, dvc.lock: eval/prc md5 44c765c2eb089a5370b262b21ee88eae.dir, size 298994, nfiles 2.
        var prc = Path.Combine(DvcFixtures.Dvc2, "eval", "prc");
        foreach (var name in new[] { DvcHasher.Md5, DvcHasher.Md5Dos2Unix })
        {
            var entry = await Hasher(DvcFixtures.Dvc2).HashAsync(prc, "eval/prc", name, CancellationToken.None);
            Assert.NotNull(entry);
            Assert.Equal("44c765c2eb089a5370b262b21ee88eae.dir", entry.Hash);
            Assert.Equal(298994, entry.Size);
            Assert.Equal(2, entry.Files);
        }
    }

    [Fact]
    public async Task File_hash_equals_the_one_DVC_wrote_in_a_real_lock_file()
    {
        var metrics = Path.Combine(DvcFixtures.Dvc2, "eval", "live", "metrics.json");
        var (md5, size) = await DvcMd5.HashFileAsync(metrics, DvcHashName.Md5Dos2Unix, CancellationToken.None);
        Assert.Equal("8340946c207fb1033f187de185e66a05", md5);
        Assert.Equal(195, size);
    }

    [Fact]
    public async Task Dos2unix_md5_of_a_crlf_text_file_is_the_md5_of_its_lf_text_and_plain_md5_is_of_the_bytes()
    {
        using var dir = new TempDirectory();
        var crlf = dir.Combine("crlf.txt");
        await File.WriteAllBytesAsync(crlf, "a\r\nb\r\nc"u8.ToArray());
        var lf = Convert.ToHexStringLower(MD5.HashData("a\nb\nc"u8));
        var bytes = Convert.ToHexStringLower(MD5.HashData("a\r\nb\r\nc"u8));
        Assert.Equal(lf, (await DvcMd5.HashFileAsync(crlf, DvcHashName.Md5Dos2Unix, CancellationToken.None)).Md5);
        Assert.Equal(bytes, (await DvcMd5.HashFileAsync(crlf, DvcHashName.Md5, CancellationToken.None)).Md5);
    }

    [Fact]
    public async Task Dos2unix_leaves_binary_files_alone_and_the_text_test_follows_DVC()
    {
        using var dir = new TempDirectory();
        var binary = dir.Combine("b.bin");
        byte[] content = [0, 13, 10, 65];
        await File.WriteAllBytesAsync(binary, content);
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(content)), (await DvcMd5.HashFileAsync(binary, DvcHashName.Md5Dos2Unix, CancellationToken.None)).Md5);

        Assert.True(DvcMd5.IsTextBlock([]));
        Assert.False(DvcMd5.IsTextBlock([65, 0, 65]));
        Assert.True(DvcMd5.IsTextBlock([65, 65, 65, 200])); // 25% non-text
        Assert.False(DvcMd5.IsTextBlock([65, 65, 200, 200])); // 50%
    }

    [Fact]
    public void Listing_is_serialised_like_python_json_dumps_with_sorted_keys()
    {
        // Python: json.dumps(sorted(entries, key=itemgetter("relpath")), sort_keys=True)
        var listing = Encoding.UTF8.GetString(DvcMd5.DirListing([("b/z.txt", "22"), ("café.txt", "33"), ("a.txt", "11"), ("b/a\"q.txt", "44")]));
        Assert.Equal("[{\"md5\": \"11\", \"relpath\": \"a.txt\"}, {\"md5\": \"44\", \"relpath\": \"b/a\\\"q.txt\"}, {\"md5\": \"22\", \"relpath\": \"b/z.txt\"}, {\"md5\": \"33\", \"relpath\": \"caf\\u00e9.txt\"}]", listing);
    }

    [Fact]
    public async Task Folder_hash_skips_git_and_dvc_folders_and_counts_nested_files()
    {
        using var dir = new TempDirectory();
        dir.Write("d/x.txt", "x\n");
        dir.Write("d/sub/y.txt", "y\n");
        dir.Write("d/.git/HEAD", "ref\n");
        var entry = await Hasher(dir.Path).HashAsync(dir.Combine("d"), "d", DvcHasher.Md5, CancellationToken.None);
        var expected = DvcMd5.DirHash([("x.txt", Md5("x\n")), ("sub/y.txt", Md5("y\n"))]);
        Assert.Equal(expected, entry!.Hash);
        Assert.Equal(2, entry.Files);
        Assert.Equal(4, entry.Size);
    }

    private static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
}
