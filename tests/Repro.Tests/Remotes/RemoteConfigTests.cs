using Repro.Blobs.Remotes;
using Repro.Model.Workspaces;

namespace Repro.Tests.Remotes;

public sealed class RemoteConfigTests
{
    [Fact]
    public async Task Remotes_round_trip_through_config_yaml_keeping_its_other_lines()
    {
        using var dir = new TempDirectory();
        var (workspace, _) = Workspace.Init(dir.Path);
        await File.AppendAllTextAsync(workspace.ConfigPath, "# team settings\nverify:\n  rtol: 1e-5\n");

        var config = (await RemoteConfig.ReadAsync(workspace, CancellationToken.None))
            .Add(new RemoteSpec("origin", "s3://bucket/prefix"), makeDefault: false)
            .Add(new RemoteSpec("share", "file:///mnt/share"), makeDefault: true);
        await config.WriteAsync(workspace, CancellationToken.None);
        var text = await File.ReadAllTextAsync(workspace.ConfigPath);
        Assert.Contains("# team settings\nverify:\n  rtol: 1e-5\n", text, StringComparison.Ordinal);

        var read = await RemoteConfig.ReadAsync(workspace, CancellationToken.None);
        Assert.Equal([new RemoteSpec("origin", "s3://bucket/prefix"), new RemoteSpec("share", "file:///mnt/share")], read.Remotes);
        Assert.Equal("share", read.Resolve(null).Name);
        Assert.Equal("origin", read.Resolve("origin").Name);

        var removed = read.Remove("share");
        await removed.WriteAsync(workspace, CancellationToken.None);
        var after = await RemoteConfig.ReadAsync(workspace, CancellationToken.None);
        Assert.Equal("origin", after.Resolve(null).Name);
        Assert.Contains("rtol: 1e-5", await File.ReadAllTextAsync(workspace.ConfigPath), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s3://AKIA:secret@bucket/x")]
    [InlineData("s3://Bad_Bucket/x")]
    [InlineData("https://example.test/data")]
    [InlineData("file://server/share")]
    [InlineData("")]
    public void Unusable_or_secret_bearing_urls_are_refused(string url)
    {
        var error = Assert.Throws<ReproException>(() => RemoteUrl.Validate(url));
        Assert.Equal(ExitCode.Usage, error.Code);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_remote_and_an_unknown_remote_are_usage_errors_with_a_hint()
    {
        using var dir = new TempDirectory();
        var (workspace, _) = Workspace.Init(dir.Path);
        var config = await RemoteConfig.ReadAsync(workspace, CancellationToken.None);
        Assert.Contains("repro remote add", Assert.Throws<ReproException>(() => config.Resolve(null)).Message, StringComparison.Ordinal);
        Assert.Contains("no remote named 'x'", Assert.Throws<ReproException>(() => config.Resolve("x")).Message, StringComparison.Ordinal);
        Assert.Throws<ReproException>(() => config.Add(new RemoteSpec("bad name", "/x"), false));
    }
}
