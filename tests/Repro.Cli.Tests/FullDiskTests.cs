using System.Diagnostics;

namespace Repro.Cli.Tests;

/// <summary>A workspace on a tiny tmpfs: what `repro data add` does when the disk fills up.</summary>
public sealed class FullDiskTests
{
    [Fact]
    public async Task Data_add_on_a_full_disk_is_one_line_exit_3_and_leaves_no_blob_pointer_or_temp_file()
    {
        using var dir = new Workdir();
        var mount = dir.Combine("small");
        Directory.CreateDirectory(mount);

        // Mounting needs root (as in CI here); elsewhere this case cannot be staged.
        if (Environment.UserName != "root" || !await RunAsync("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount))
        {
            Assert.Fail("cannot mount a small tmpfs (needs root) to stage a full disk");
        }

        try
        {
            var init = await ReproProcess.RunAsync(mount, "init");
            Assert.True(init.ExitCode == 0, init.ToString());
            var free = new DriveInfo(mount).AvailableFreeSpace;
            // The data fits; a second copy of it (the cache's) does not.
            var data = new byte[free * 6 / 10];
            new Random(3).NextBytes(data);
            await File.WriteAllBytesAsync(Path.Combine(mount, "big.bin"), data);

            var add = await ReproProcess.RunAsync(mount, "data", "add", "big.bin");
            Assert.True(add.ExitCode == 3, add.ToString());
            Assert.Single(add.Stderr.Trim().Split('\n'));
            Assert.Contains("no space left", add.Stderr, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(mount, "big.bin.repro")));
            var cache = Path.Combine(mount, ".repro", "cache");
            Assert.Empty(Directory.EnumerateFiles(cache, "*", SearchOption.AllDirectories));
        }
        finally
        {
            await RunAsync("umount", mount);
        }
    }

    private static async Task<bool> RunAsync(string command, params string[] args)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(info)!;
            await process.WaitForExitAsync();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
