using System.Text.Json;

namespace Repro.Cli.Tests;

/// <summary>`repro data add/status/checkout/gc/fsck` on real folders, through the real binary.</summary>
public sealed class DataEndToEndTests
{
    [Fact]
    public async Task Data_add_writes_a_pointer_to_commit_ignores_the_data_in_git_and_status_is_unchanged()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        dir.Write("data/train.csv", "a,b\n1,2\n");
        WriteImages(dir, 5);

        var add = await dir.ReproAsync("data", "add", "data/train.csv", "data/images");
        Assert.True(add.ExitCode == 0, add.ToString());
        var pointer = await File.ReadAllTextAsync(dir.Combine("data", "train.csv.repro"));
        Assert.Equal(
            ["sha256: " + ReproProcess.Sha256("a,b\n1,2\n"), "size: 8", "path: train.csv"],
            pointer.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')));
        var folder = await File.ReadAllTextAsync(dir.Combine("data", "images.repro"));
        Assert.Contains("files: 5\npath: images\n", folder, StringComparison.Ordinal);
        Assert.Equal("/train.csv\n/images\n", await File.ReadAllTextAsync(dir.Combine("data", ".gitignore")));

        var status = await dir.ReproAsync("data", "status");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("unchanged: data/train.csv", status.Stdout, StringComparison.Ordinal);

        // Adding again changes nothing and says so.
        var again = await dir.ReproAsync("data", "add", "data/train.csv");
        Assert.Contains("unchanged data/train.csv", again.Stdout, StringComparison.Ordinal);
        Assert.Equal("/train.csv\n/images\n", await File.ReadAllTextAsync(dir.Combine("data", ".gitignore")));
    }

    [Fact]
    public async Task In_git_data_add_leaves_only_the_pointer_for_git_and_refuses_data_git_already_tracks()
    {
        using var dir = new Workdir();
        await ReproProcess.GitAsync(dir.Path, "init", "-q", "-b", "main");
        await dir.InitAsync();
        dir.Write("data/train.csv", "a,b\n1,2\n");
        dir.Write("data/committed.csv", "in git\n");
        await ReproProcess.GitAsync(dir.Path, "add", "data/committed.csv");
        await ReproProcess.GitAsync(dir.Path, "commit", "-qm", "data in git");

        var add = await dir.ReproAsync("data", "add", "data/train.csv");
        Assert.True(add.ExitCode == 0, add.ToString());
        var status = await ReproProcess.GitAsync(dir.Path, "status", "--porcelain", "--untracked-files=all");
        Assert.Contains("?? data/train.csv.repro", status, StringComparison.Ordinal);
        Assert.Contains("?? data/.gitignore", status, StringComparison.Ordinal);
        Assert.DoesNotContain("data/train.csv\n", status + "\n", StringComparison.Ordinal);

        var tracked = await dir.ReproAsync("data", "add", "data/committed.csv");
        Assert.True(tracked.ExitCode == 2, tracked.ToString());
        Assert.Contains("git rm -r --cached data/committed.csv", tracked.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.Combine("data", "committed.csv.repro")));
    }

    [Fact]
    public async Task Data_status_json_reports_modified_missing_and_not_in_cache_and_exits_1()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        dir.Write("a.csv", "a\n");
        dir.Write("b.csv", "b\n");
        dir.Write("c.csv", "c\n");
        WriteImages(dir, 3);
        Assert.Equal(0, (await dir.ReproAsync("data", "add", "a.csv", "b.csv", "c.csv", "data/images")).ExitCode);

        dir.Write("a.csv", "a changed\n");
        File.Delete(dir.Combine("b.csv"));
        DeleteBlob(dir, ReproProcess.Sha256("c\n"));
        dir.Write("data/images/extra.png", "new file");

        var status = await dir.ReproAsync("data", "status", "--json");
        Assert.True(status.ExitCode == 1, status.ToString());
        var rows = JsonDocument.Parse(status.Stdout).RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("path").GetString()!);
        Assert.Equal("modified", rows["a.csv"].GetProperty("status").GetString());
        Assert.Equal(ReproProcess.Sha256("a changed\n"), rows["a.csv"].GetProperty("current_sha256").GetString());
        Assert.Equal(ReproProcess.Sha256("a\n"), rows["a.csv"].GetProperty("recorded_sha256").GetString());
        Assert.Equal("missing", rows["b.csv"].GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, rows["b.csv"].GetProperty("current_sha256").ValueKind);
        Assert.Equal("not in cache", rows["c.csv"].GetProperty("status").GetString());
        Assert.Equal("modified", rows["data/images"].GetProperty("status").GetString());

        // Naming one path limits the report to it.
        var one = await dir.ReproAsync("data", "status", "c.csv");
        Assert.Equal(1, one.ExitCode);
        Assert.DoesNotContain("a.csv", one.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_checkout_restores_deleted_data_as_read_only_hard_links_to_the_cache()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        dir.Write("data/train.csv", "a,b\n1,2\n");
        WriteImages(dir, 4);
        Assert.Equal(0, (await dir.ReproAsync("data", "add", "data/train.csv", "data/images")).ExitCode);
        File.Delete(dir.Combine("data", "train.csv"));
        Directory.Delete(dir.Combine("data", "images"), recursive: true);

        var checkout = await dir.ReproAsync("data", "checkout");
        Assert.True(checkout.ExitCode == 0, checkout.ToString());
        Assert.Equal("a,b\n1,2\n", await File.ReadAllTextAsync(dir.Combine("data", "train.csv")));
        Assert.Equal("image 3", await File.ReadAllTextAsync(dir.Combine("data", "images", "img3.png")));
        Assert.Contains("restored data/images (4 files", checkout.Stdout, StringComparison.Ordinal);

        // This file system has no reflinks: the files are hard links, so they must be read-only.
        var mode = File.GetUnixFileMode(dir.Combine("data", "train.csv"));
        if (checkout.Stdout.Contains("hardlink", StringComparison.Ordinal))
        {
            Assert.False(mode.HasFlag(UnixFileMode.UserWrite));
        }

        Assert.Equal(0, (await dir.ReproAsync("data", "status")).ExitCode);
        var again = await dir.ReproAsync("data", "checkout", "data/images");
        Assert.Contains("unchanged data/images", again.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_checkout_refuses_to_overwrite_modified_data_unless_forced()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        dir.Write("data/train.csv", "original\n");
        WriteImages(dir, 2);
        Assert.Equal(0, (await dir.ReproAsync("data", "add", "data/train.csv", "data/images")).ExitCode);
        File.Delete(dir.Combine("data", "train.csv"));
        dir.Write("data/train.csv", "my edits\n");
        dir.Write("data/images/new.png", "untracked");
        File.Delete(dir.Combine("data", "images", "img0.png"));

        var refused = await dir.ReproAsync("data", "checkout");
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Single(refused.Stderr.Trim().Split('\n'));
        Assert.Contains("data/train.csv (modified)", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("--force", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal("my edits\n", await File.ReadAllTextAsync(dir.Combine("data", "train.csv")));
        Assert.True(File.Exists(dir.Combine("data", "images", "new.png")));
        Assert.False(File.Exists(dir.Combine("data", "images", "img0.png")));

        var forced = await dir.ReproAsync("data", "checkout", "--force");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Equal("original\n", await File.ReadAllTextAsync(dir.Combine("data", "train.csv")));
        Assert.False(File.Exists(dir.Combine("data", "images", "new.png")));
        Assert.Equal("image 0", await File.ReadAllTextAsync(dir.Combine("data", "images", "img0.png")));
        Assert.Equal(0, (await dir.ReproAsync("data", "status")).ExitCode);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("link-out/passwd")]
    [InlineData("data/with-link")]
    [InlineData("does-not-exist.csv")]
    [InlineData(".repro/repro.db")]
    public async Task Data_add_refuses_paths_leading_out_of_the_workspace_and_changes_nothing(string path)
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        using var outside = new Workdir();
        outside.Write("passwd", "root:x:0:0\n");
        File.CreateSymbolicLink(dir.Combine("link-out"), outside.Path);
        dir.Write("data/with-link/ok.csv", "fine\n");
        File.CreateSymbolicLink(dir.Combine("data", "with-link", "secret"), outside.Combine("passwd"));
        var before = CacheFiles(dir);

        var add = await dir.ReproAsync("data", "add", path);
        Assert.True(add.ExitCode == 2, add.ToString());
        Assert.Single(add.Stderr.Trim().Split('\n'));
        Assert.Equal(before, CacheFiles(dir));
        Assert.Empty(Directory.EnumerateFiles(dir.Path, "*.repro", SearchOption.AllDirectories));
        Assert.False(File.Exists(dir.Combine(".gitignore")));
    }

    [Theory]
    [InlineData("sha256: not-a-hash\nsize: 4\npath: train.csv\n", "not 64 lower-case hex digits")]
    [InlineData("sha256: 5be08c9684a1d25efcee09318204824278b08bbfb4aef973ffefd0b9d7478313\nsize: 4\npath: ../../../etc/passwd\n", "outside the workspace")]
    [InlineData("sha256: 5be08c9684a1d25efcee09318204824278b08bbfb4aef973ffefd0b9d7478313\nsize: 4\npath: /etc/passwd\n", "outside the workspace")]
    [InlineData("sha256: {{{\n", "malformed YAML")]
    public async Task A_bad_pointer_file_is_one_line_and_exit_2_for_status_and_checkout(string pointer, string expected)
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        dir.Write("data/train.csv.repro", pointer);
        foreach (var command in new[] { "status", "checkout", "push", "gc" })
        {
            var result = await dir.ReproAsync("data", command);
            Assert.True(result.ExitCode == 2, command + ": " + result);
            Assert.Contains("data/train.csv.repro", result.Stderr, StringComparison.Ordinal);
            Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        }

        Assert.False(File.Exists("/etc/passwd.repro"));
    }

    [Fact]
    public async Task Gc_keeps_what_pointers_and_runs_refer_to_and_workspace_mode_removes_run_only_blobs_loudly()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        dir.Write("tracked.csv", "tracked\n");
        dir.Write("dropped.csv", "dropped\n");
        dir.Write("run-input.csv", "used by a run\n");
        Assert.Equal(0, (await dir.ReproAsync("data", "add", "tracked.csv", "dropped.csv")).ExitCode);

        // Outside git a run records the working tree too, so the dropped data must be gone before it.
        File.Delete(dir.Combine("dropped.csv"));
        var run = await dir.ReproAsync("run", "--dep", "run-input.csv", "--", "true");
        Assert.True(run.ExitCode == 0, run.ToString());
        File.Delete(dir.Combine("dropped.csv.repro"));
        var tracked = ReproProcess.Sha256("tracked\n");
        var dropped = ReproProcess.Sha256("dropped\n");
        var runInput = ReproProcess.Sha256("used by a run\n");

        var dry = await dir.ReproAsync("data", "gc", "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Contains($"would remove {dropped} (8 B)", dry.Stdout, StringComparison.Ordinal);
        Assert.True(HasBlob(dir, dropped));

        var gc = await dir.ReproAsync("data", "gc");
        Assert.True(gc.ExitCode == 0, gc.ToString());
        Assert.False(HasBlob(dir, dropped));
        Assert.True(HasBlob(dir, tracked));
        Assert.True(HasBlob(dir, runInput));

        var workspaceOnly = await dir.ReproAsync("data", "gc", "--workspace");
        Assert.True(workspaceOnly.ExitCode == 0, workspaceOnly.ToString());
        Assert.Contains("warning", workspaceOnly.Stderr, StringComparison.Ordinal);
        Assert.False(HasBlob(dir, runInput));
        Assert.True(HasBlob(dir, tracked));

        Assert.Equal(2, (await dir.ReproAsync("data", "gc", "--workspace", "--all-runs")).ExitCode);
    }

    [Fact]
    public async Task Gc_removes_temp_files_killed_writes_left_an_hour_ago_and_never_a_younger_one()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        dir.Write("tracked.csv", "tracked\n");
        Assert.Equal(0, (await dir.ReproAsync("data", "add", "tracked.csv")).ExitCode);
        var tracked = ReproProcess.Sha256("tracked\n");
        var cache = dir.Combine(".repro", "cache");
        var beside = Path.Combine(cache, "sha256", tracked[..2], ".0123456789abcdef0123456789abcdef.tmp");
        var inTmp = Path.Combine(cache, "tmp", "0123456789abcdef0123456789abcdef.tmp");
        var young = Path.Combine(cache, "sha256", tracked[..2], ".fedcba9876543210fedcba9876543210.tmp");
        Directory.CreateDirectory(Path.GetDirectoryName(inTmp)!);
        foreach (var path in new[] { beside, inTmp, young })
        {
            File.WriteAllText(path, "half a blob");
        }

        File.SetLastWriteTimeUtc(beside, DateTime.UtcNow.AddHours(-2));
        File.SetLastWriteTimeUtc(inTmp, DateTime.UtcNow.AddHours(-2));

        var dry = await dir.ReproAsync("data", "gc", "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Contains("would remove 2 temp files (22 B)", dry.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(beside) && File.Exists(inTmp));

        var gc = await dir.ReproAsync("data", "gc");
        Assert.True(gc.ExitCode == 0, gc.ToString());
        Assert.Contains("removed 2 temp files", gc.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(beside));
        Assert.False(File.Exists(inTmp));
        Assert.True(File.Exists(young));
        Assert.True(HasBlob(dir, tracked));
    }

    [Fact]
    public async Task Fsck_quarantines_a_corrupt_blob_exits_1_and_repair_fetches_it_again_from_the_remote()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        using var remote = new Workdir();
        dir.Write("train.csv", "good bytes\n");
        Assert.Equal(0, (await dir.ReproAsync("data", "add", "train.csv")).ExitCode);
        Assert.Equal(0, (await dir.ReproAsync("remote", "add", "origin", remote.Path)).ExitCode);
        Assert.Equal(0, (await dir.ReproAsync("data", "push")).ExitCode);
        Assert.Equal(0, (await dir.ReproAsync("data", "fsck")).ExitCode);

        var sha = ReproProcess.Sha256("good bytes\n");
        var blob = BlobPath(dir, sha);
        File.SetAttributes(blob, FileAttributes.Normal);
        await File.WriteAllTextAsync(blob, "bit rot\n");

        var fsck = await dir.ReproAsync("data", "fsck");
        Assert.True(fsck.ExitCode == 1, fsck.ToString());
        Assert.Contains($"corrupt {sha}", fsck.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(blob));
        Assert.Single(Directory.EnumerateFiles(dir.Combine(".repro", "cache", "quarantine")));

        var repair = await dir.ReproAsync("data", "fsck", "--repair");
        Assert.True(repair.ExitCode == 0, repair.ToString());
        Assert.Contains($"repaired {sha}", repair.Stdout, StringComparison.Ordinal);
        Assert.Equal("good bytes\n", await File.ReadAllTextAsync(blob));
    }

    internal static void WriteImages(Workdir dir, int count)
    {
        for (var i = 0; i < count; i++)
        {
            dir.Write($"data/images/img{i}.png", $"image {i}");
        }
    }

    internal static string BlobPath(Workdir dir, string sha) => dir.Combine(".repro", "cache", "sha256", sha[..2], sha[2..]);

    internal static bool HasBlob(Workdir dir, string sha) => File.Exists(BlobPath(dir, sha));

    internal static void DeleteBlob(Workdir dir, string sha)
    {
        File.SetAttributes(BlobPath(dir, sha), FileAttributes.Normal);
        File.Delete(BlobPath(dir, sha));
    }

    internal static List<string> CacheFiles(Workdir dir)
    {
        var root = dir.Combine(".repro", "cache", "sha256");
        return Directory.Exists(root) ? Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList() : [];
    }
}
