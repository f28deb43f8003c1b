using Repro.Blobs.Remotes;

namespace Repro.Tests.Remotes;

public sealed class FolderRemoteTests : RemoteContract
{
    protected override Task<IRemote> OpenAsync(TempDirectory dir)
    {
        var root = dir.Combine("remote");
        Directory.CreateDirectory(root);
        return Task.FromResult<IRemote>(new FolderRemote(root, "test"));
    }

    protected override Task PlantAsync(IRemote remote, string sha256, byte[] bytes)
    {
        var root = ((FolderRemote)remote).Root;
        var path = Path.Combine(root, BlobKey.For(sha256));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_folder_that_does_not_exist_is_a_remote_that_cannot_be_reached()
    {
        using var dir = new TempDirectory();
        await using var remote = new FolderRemote(dir.Combine("unmounted-share"), "share");
        var error = await Assert.ThrowsAsync<ReproException>(() => remote.ListAsync(CancellationToken.None));
        Assert.Equal(ExitCode.CannotExecute, error.Code);
        Assert.Contains("cannot be reached", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("unmounted-share")));
    }

    [Fact]
    public async Task A_left_over_upload_in_tmp_is_not_a_blob()
    {
        using var dir = new TempDirectory();
        await using var remote = await OpenAsync(dir);
        var root = ((FolderRemote)remote).Root;

        // Where older versions uploaded, and beside a blob's place, where uploads go now.
        foreach (var tmp in new[] { Path.Combine(root, "tmp", "half.tmp"), Path.Combine(root, "sha256", "ab", ".0123456789abcdef.tmp") })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(tmp)!);
            File.WriteAllText(tmp, "half an upload");
        }

        Assert.Empty(await remote.ListAsync(CancellationToken.None));
    }
}
