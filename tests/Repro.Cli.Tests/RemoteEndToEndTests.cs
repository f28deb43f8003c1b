using Repro.Tests.Remotes;

namespace Repro.Cli.Tests;

/// <summary>`repro remote` and `repro data push/pull` between two workspaces, through a folder remote and a real S3 stand-in.</summary>
public sealed class RemoteEndToEndTests(S3ServerFixture s3) : IClassFixture<S3ServerFixture>
{
    [Fact]
    public async Task Remote_add_list_remove_store_only_name_and_url_and_refuse_credentials()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        Assert.Equal(0, (await dir.ReproAsync("remote", "add", "origin", "s3://team-data/projects/loans")).ExitCode);
        Assert.Equal(0, (await dir.ReproAsync("remote", "add", "backup", "file:///mnt/backup")).ExitCode);
        Assert.Equal(0, (await dir.ReproAsync("remote", "add", "--default", "local", "../shared")).ExitCode);

        var list = await dir.ReproAsync("remote", "list");
        Assert.Contains("origin\ts3://team-data/projects/loans\n", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("local\t../shared\t(default)", list.Stdout, StringComparison.Ordinal);

        var secret = await dir.ReproAsync("remote", "add", "leak", "s3://AKIAEXAMPLE:topsecret@bucket/x");
        Assert.Equal(2, secret.ExitCode);
        Assert.DoesNotContain("topsecret", secret.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, (await dir.ReproAsync("remote", "add", "origin", "/elsewhere")).ExitCode);
        Assert.Equal(2, (await dir.ReproAsync("remote", "add", "web", "https://example.test/data")).ExitCode);

        var config = await File.ReadAllTextAsync(dir.Combine(".repro", "config.yaml"));
        Assert.Contains("version: 1", config, StringComparison.Ordinal);
        Assert.DoesNotContain("topsecret", config, StringComparison.Ordinal);
        Assert.DoesNotContain("leak", config, StringComparison.Ordinal);

        Assert.Equal(0, (await dir.ReproAsync("remote", "remove", "local")).ExitCode);
        Assert.Contains("origin\ts3://team-data/projects/loans\t(default)", (await dir.ReproAsync("remote", "list")).Stdout, StringComparison.Ordinal);
        Assert.Equal(2, (await dir.ReproAsync("remote", "remove", "local")).ExitCode);
    }

    [Fact]
    public async Task Push_then_pull_in_a_fresh_clone_through_a_folder_remote_restores_the_data()
    {
        using var remote = new Workdir();
        using var first = new Workdir();
        await first.InitAsync();
        first.Write("data/train.csv", "a,b\n1,2\n");
        DataEndToEndTests.WriteImages(first, 25);
        Assert.Equal(0, (await first.ReproAsync("data", "add", "data/train.csv", "data/images")).ExitCode);
        Assert.Equal(0, (await first.ReproAsync("remote", "add", "origin", "file://" + remote.Path)).ExitCode);
        var push = await first.ReproAsync("data", "push", "-j", "3");
        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains("pushed 27 blobs", push.Stdout, StringComparison.Ordinal);
        Assert.Contains("pushed 0 blobs", (await first.ReproAsync("data", "push")).Stdout, StringComparison.Ordinal);

        // A colleague's clone: the pointer files and config came through git; the cache is empty.
        using var second = await CloneAsync(first);
        var status = await second.ReproAsync("data", "status");
        Assert.Equal(1, status.ExitCode);
        Assert.Contains("missing:", status.Stdout, StringComparison.Ordinal);

        var pull = await second.ReproAsync("data", "pull");
        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Contains("pulled 27 blobs", pull.Stdout, StringComparison.Ordinal);
        Assert.Equal("a,b\n1,2\n", await File.ReadAllTextAsync(second.Combine("data", "train.csv")));
        Assert.Equal("image 24", await File.ReadAllTextAsync(second.Combine("data", "images", "img24.png")));
        Assert.Equal(0, (await second.ReproAsync("data", "status")).ExitCode);
    }

    [Fact]
    public async Task Pull_of_a_corrupt_blob_discards_it_exits_3_and_leaves_no_wrong_blob()
    {
        using var remote = new Workdir();
        using var first = new Workdir();
        await first.InitAsync();
        first.Write("train.csv", "right bytes\n");
        Assert.Equal(0, (await first.ReproAsync("data", "add", "train.csv")).ExitCode);
        Assert.Equal(0, (await first.ReproAsync("remote", "add", "origin", remote.Path)).ExitCode);
        Assert.Equal(0, (await first.ReproAsync("data", "push")).ExitCode);
        var sha = ReproProcess.Sha256("right bytes\n");
        var onRemote = remote.Combine("sha256", sha[..2], sha[2..]);
        File.SetAttributes(onRemote, FileAttributes.Normal);
        await File.WriteAllTextAsync(onRemote, "wrong bytes\n");

        using var second = await CloneAsync(first);
        var pull = await second.ReproAsync("data", "pull");
        Assert.True(pull.ExitCode == 3, pull.ToString());
        Assert.Contains("corrupt", pull.Stderr, StringComparison.Ordinal);
        Assert.False(DataEndToEndTests.HasBlob(second, sha));
        Assert.False(File.Exists(second.Combine("train.csv")));
    }

    [Fact]
    public async Task A_remote_that_is_down_or_unknown_is_one_line_and_changes_nothing()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        dir.Write("train.csv", "x\n");
        Assert.Equal(0, (await dir.ReproAsync("data", "add", "train.csv")).ExitCode);

        var none = await dir.ReproAsync("data", "push");
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("repro remote add", none.Stderr, StringComparison.Ordinal);

        Assert.Equal(0, (await dir.ReproAsync("remote", "add", "share", dir.Combine("unmounted"))).ExitCode);
        var missing = await dir.ReproAsync("data", "push");
        Assert.Equal(3, missing.ExitCode);
        Assert.Single(missing.Stderr.Trim().Split('\n'));
        Assert.False(Directory.Exists(dir.Combine("unmounted")));

        Assert.Equal(0, (await dir.ReproAsync("remote", "add", "cloud", "s3://bucket/x")).ExitCode);
        var down = await ReproProcess.RunWithAsync(dir.Path, new Dictionary<string, string?> { ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9", ["AWS_ACCESS_KEY_ID"] = "k", ["AWS_SECRET_ACCESS_KEY"] = "s", ["AWS_REGION"] = "us-east-1" }, null, "data", "push", "--remote", "cloud");
        Assert.True(down.ExitCode == 3, down.ToString());
        Assert.Contains("cannot be reached", down.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, (await dir.ReproAsync("data", "push", "--remote", "nope")).ExitCode);
    }

    [Fact]
    public async Task Push_and_pull_through_an_s3_remote_with_credentials_only_in_the_environment()
    {
        var bucket = await s3.NewBucketAsync();
        using var first = new Workdir();
        await first.InitAsync();
        first.Write("data/train.csv", "a,b\n1,2\n");
        DataEndToEndTests.WriteImages(first, 10);
        Assert.Equal(0, (await first.ReproAsync("data", "add", "data/train.csv", "data/images")).ExitCode);
        Assert.Equal(0, (await first.ReproAsync("remote", "add", "origin", $"s3://{bucket}/loans")).ExitCode);
        var push = await ReproProcess.RunWithAsync(first.Path, s3.Variables, null, "data", "push");
        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains("pushed 12 blobs", push.Stdout, StringComparison.Ordinal);

        using var second = await CloneAsync(first);
        var pull = await ReproProcess.RunWithAsync(second.Path, s3.Variables, null, "data", "pull", "-j", "2");
        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Equal("image 9", await File.ReadAllTextAsync(second.Combine("data", "images", "img9.png")));

        foreach (var file in Directory.EnumerateFiles(first.Combine(".repro"), "*.yaml").Concat(Directory.EnumerateFiles(first.Path, "*.repro", SearchOption.AllDirectories)))
        {
            Assert.DoesNotContain(s3.SecretKey == "S3RVER" ? "S3RVER" : "AWS_SECRET", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        }
    }

    /// <summary>What a git clone brings: the pointer files and .repro/config.yaml, no cache.</summary>
    private static async Task<Workdir> CloneAsync(Workdir source)
    {
        var clone = new Workdir();
        await clone.InitAsync();
        File.Copy(source.Combine(".repro", "config.yaml"), clone.Combine(".repro", "config.yaml"), overwrite: true);
        foreach (var pointer in Directory.EnumerateFiles(source.Path, "*.repro", SearchOption.AllDirectories).Where(p => !p.Contains("/.repro/", StringComparison.Ordinal)))
        {
            var target = clone.Combine(Path.GetRelativePath(source.Path, pointer));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(pointer, target);
        }

        return clone;
    }
}
