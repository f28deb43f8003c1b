using System.Text;
using Repro.Blobs.Data;
using Repro.Blobs.Hashing;
using Repro.Blobs.Storage;
using Repro.Model.Workspaces;

namespace Repro.Tests.Data;

/// <summary>The tracker's refusals: nothing is read from or written to outside the workspace.</summary>
public sealed class DataTrackerTests
{
    [Fact]
    public async Task Checkout_never_writes_through_a_symlinked_folder_that_leads_out()
    {
        using var dir = new TempDirectory();
        using var outside = new TempDirectory();
        var (tracker, _) = Open(dir);
        dir.Write("data/images/sub/a.png", "a");
        dir.Write("data/images/b.png", "b");
        await tracker.AddAsync(["data/images"], dir.Path, null, CancellationToken.None);

        Directory.Delete(dir.Combine("data", "images", "sub"), recursive: true);
        File.CreateSymbolicLink(dir.Combine("data", "images", "sub"), outside.Path);
        var error = await Assert.ThrowsAsync<ReproException>(() => tracker.CheckoutAsync(tracker.FindAll(), force: true, CancellationToken.None));
        Assert.Equal(ExitCode.Usage, error.Code);
        Assert.Contains("symbolic link", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside.Path));
    }

    [Fact]
    public async Task Tracked_data_replaced_by_a_symlink_out_of_the_workspace_is_refused()
    {
        using var dir = new TempDirectory();
        using var outside = new TempDirectory();
        var (tracker, _) = Open(dir);
        dir.Write("data/train.csv", "x\n");
        await tracker.AddAsync(["data/train.csv"], dir.Path, null, CancellationToken.None);
        File.Delete(dir.Combine("data", "train.csv"));
        File.CreateSymbolicLink(dir.Combine("data", "train.csv"), outside.Combine("passwd"));

        var error = Assert.Throws<ReproException>(() => tracker.FindAll());
        Assert.Equal(ExitCode.Usage, error.Code);
        Assert.False(File.Exists(outside.Combine("passwd")));
    }

    [Fact]
    public async Task Adding_a_path_inside_a_tracked_folder_or_a_folder_holding_pointers_is_refused()
    {
        using var dir = new TempDirectory();
        var (tracker, _) = Open(dir);
        dir.Write("data/images/a.png", "a");
        dir.Write("data/other/b.csv", "b");
        await tracker.AddAsync(["data/images", "data/other/b.csv"], dir.Path, null, CancellationToken.None);

        var inside = await Assert.ThrowsAsync<ReproException>(() => tracker.AddAsync(["data/images/a.png"], dir.Path, null, CancellationToken.None));
        Assert.Contains("inside the tracked folder data/images", inside.Message, StringComparison.Ordinal);
        var overlapping = await Assert.ThrowsAsync<ReproException>(() => tracker.AddAsync(["data/other"], dir.Path, null, CancellationToken.None));
        Assert.Contains("contains the pointer file", overlapping.Message, StringComparison.Ordinal);
        var pointer = await Assert.ThrowsAsync<ReproException>(() => tracker.AddAsync(["data/images.repro"], dir.Path, null, CancellationToken.None));
        Assert.Contains("is a pointer file", pointer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cached_listing_naming_paths_out_of_the_folder_writes_nothing()
    {
        using var dir = new TempDirectory();
        var (tracker, cache) = Open(dir);
        var evil = Encoding.UTF8.GetBytes("[{\"path\":\"../../escaped.txt\",\"sha256\":\"" + Sha256Hasher.HashBytes("x"u8) + "\",\"size\":1}]");
        var blob = await cache.AddBytesAsync(evil, CancellationToken.None);
        await cache.AddBytesAsync("x"u8.ToArray(), CancellationToken.None);
        dir.Write("data/images.repro", new PointerFile { Sha256 = blob.Sha256, Size = 1, Files = 1, Path = "images" }.ToYaml());

        var error = await Assert.ThrowsAsync<ReproException>(() => tracker.CheckoutAsync(tracker.FindAll(), force: true, CancellationToken.None));
        Assert.Equal(ExitCode.CannotExecute, error.Code);
        Assert.False(File.Exists(dir.Combine("escaped.txt")));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(dir.Path)!, "escaped.txt")));
        Assert.False(Directory.Exists(dir.Combine("data", "images")));
    }

    [Fact]
    public async Task Checkout_of_data_whose_bytes_are_not_cached_names_them_and_changes_nothing()
    {
        using var dir = new TempDirectory();
        var (tracker, cache) = Open(dir);
        dir.Write("a.csv", "a\n");
        dir.Write("b.csv", "b\n");
        await tracker.AddAsync(["a.csv", "b.csv"], dir.Path, null, CancellationToken.None);
        File.Delete(dir.Combine("a.csv"));
        File.Delete(dir.Combine("b.csv"));
        var sha = Sha256Hasher.HashBytes("b\n"u8);
        File.SetAttributes(cache.PathFor(sha), FileAttributes.Normal);
        File.Delete(cache.PathFor(sha));

        var error = await Assert.ThrowsAsync<ReproException>(() => tracker.CheckoutAsync(tracker.FindAll(), force: false, CancellationToken.None));
        Assert.Equal(ExitCode.CannotExecute, error.Code);
        Assert.Contains("b.csv", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.Combine("a.csv")));
    }

    private static (DataTracker Tracker, ContentCache Cache) Open(TempDirectory dir)
    {
        var (workspace, _) = Workspace.Init(dir.Path);
        var cache = new ContentCache(workspace.CachePath);
        return (new DataTracker(workspace, cache, NullStatCache.Instance, TimeProvider.System), cache);
    }
}
