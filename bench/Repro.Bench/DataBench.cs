using System.Globalization;

namespace Repro.Bench;

/// <summary>
/// (g) `repro data` on N small files, as real processes: `data add` cold next to `git add` with
/// git-lfs on the same folder, `data status` unchanged next to `git status`, and push/pull to a
/// folder remote next to `cp -r` of the same blobs.
/// </summary>
public static class DataBench
{
    private const double AddTarget = 1.0;
    private const double StatusTarget = 0.3;
    private const double TransferTarget = 5.0;

    public static async Task<IReadOnlyList<ResultRow>> RunAsync(BenchOptions options, string temp, TextWriter log, CancellationToken cancellationToken)
    {
        var count = options.SmallFileCount;
        var work = Path.Combine(temp, "data-ws");
        var folder = Path.Combine(work, "data");
        Directory.CreateDirectory(folder);
        log.WriteLine($"[data] writing {count} files of {options.SmallFileBytes} bytes");
        await FolderBench.WriteFilesAsync(folder, count, options.SmallFileBytes, cancellationToken);
        await Measure.RunAsync(options.Repro, [.. options.ReproPrefix, "init"], work, cancellationToken);
        var cache = Path.Combine(work, ".repro", "cache");
        var state = Path.Combine(work, ".repro", "state.db");

        // Caches and remotes emptied between timed steps are moved here and deleted only at the end:
        // on ext4 a file created soon after a mass delete waits for the allocator to skip every
        // recently freed inode (up to minutes), which would charge the bench's own clean-up to repro.
        var trash = Path.Combine(temp, "data-trash");
        Directory.CreateDirectory(trash);

        // Cold adds: an empty cache and stat cache each time.
        var adds = new List<double>();
        for (var i = 0; i < options.Repeats; i++)
        {
            Reset(cache, state, Path.Combine(work, "data.repro"), trash);
            adds.Add((await Measure.RunAsync(options.Repro, [.. options.ReproPrefix, "data", "add", "data"], work, cancellationToken)).Seconds);
        }

        var add = Measure.Median(adds);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[data] add {add:0.000} s; git lfs add..."));
        var lfs = await FolderBench.GitLfsAddAsync(folder, temp, trash, options.Repeats, log, cancellationToken);

        var statuses = new List<double>();
        await Measure.RunAsync(options.Repro, [.. options.ReproPrefix, "data", "status"], work, cancellationToken);
        for (var i = 0; i < options.ProcessRuns; i++)
        {
            statuses.Add((await Measure.RunAsync(options.Repro, [.. options.ReproPrefix, "data", "status"], work, cancellationToken)).Seconds);
        }

        var gitDir = Path.Combine(temp, "data-git");
        await Measure.RunAsync("git", ["init", "-q", gitDir], temp, cancellationToken);
        string[] gitArgs = [$"--git-dir={Path.Combine(gitDir, ".git")}", $"--work-tree={folder}"];
        await Measure.RunAsync("git", [.. gitArgs, "add", "-A", "."], folder, cancellationToken);
        var gitStatuses = new List<double>();
        for (var i = 0; i < options.ProcessRuns; i++)
        {
            gitStatuses.Add((await Measure.RunAsync("git", [.. gitArgs, "status", "--porcelain"], folder, cancellationToken)).Seconds);
        }

        MoveAside(gitDir, trash);

        var remote = Path.Combine(temp, "data-remote");
        Directory.CreateDirectory(remote);
        await Measure.RunAsync(options.Repro, [.. options.ReproPrefix, "remote", "add", "origin", remote], work, cancellationToken);
        var pushes = new List<double>();
        var pulls = new List<double>();
        var copies = new List<double>();
        var blobs = Path.Combine(cache, "sha256");
        for (var i = 0; i < options.Repeats; i++)
        {
            Empty(remote, trash);
            pushes.Add((await Measure.RunAsync(options.Repro, [.. options.ReproPrefix, "data", "push"], work, cancellationToken)).Seconds);
            var copy = Path.Combine(temp, "data-copy");
            copies.Add((await Measure.RunAsync("cp", ["-r", blobs, copy], temp, cancellationToken)).Seconds);
            MoveAside(copy, trash);
            MoveAside(blobs, trash);
            pulls.Add((await Measure.RunAsync(options.Repro, [.. options.ReproPrefix, "data", "pull"], work, cancellationToken)).Seconds);
        }

        var status = Measure.Median(statuses);
        var gitStatus = Measure.Median(gitStatuses);
        var push = Measure.Median(pushes);
        var pull = Measure.Median(pulls);
        var cp = Measure.Median(copies);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[data] status {status:0.000} s, push {push:0.000} s, pull {pull:0.000} s"));
        var n = count.ToString("N0", CultureInfo.InvariantCulture);
        return
        [
            new($"`repro data add` on {n} files (process, cold cache)", Measure.Seconds(add), lfs is { } l ? $"`git add` with git-lfs (fresh repo): {Measure.Seconds(l)}" : "git-lfs not available", lfs / add, $"< {AddTarget:0} s", add < AddTarget),
            new($"`repro data status`, {n} files unchanged (median of {options.ProcessRuns})", Measure.Seconds(status), $"`git status` (index warm): {Measure.Seconds(gitStatus)}", gitStatus / status, $"< {StatusTarget:0.0} s", status < StatusTarget),
            new($"`repro data push` of {n} + 1 blobs to a folder remote", Measure.Seconds(push), $"`cp -r` of the blobs: {Measure.Seconds(cp)}", cp / push, $"< {TransferTarget:0} s", push < TransferTarget),
            new($"`repro data pull` of {n} + 1 blobs from a folder remote", Measure.Seconds(pull), $"`cp -r` of the blobs: {Measure.Seconds(cp)}", cp / pull, $"< {TransferTarget:0} s", pull < TransferTarget),
        ];
    }

    private static void Reset(string cache, string state, string pointer, string trash)
    {
        MoveAside(Path.Combine(cache, "sha256"), trash);
        foreach (var file in new[] { state, state + "-wal", state + "-shm", pointer })
        {
            if (File.Exists(file))
            {
                File.Delete(file);
            }
        }
    }

    private static void Empty(string folder, string trash)
    {
        MoveAside(folder, trash);
        Directory.CreateDirectory(folder);
    }

    /// <summary>Renames a folder into the trash (same file system: one rename, no inode freed now).</summary>
    internal static void MoveAside(string folder, string trash)
    {
        if (Directory.Exists(folder))
        {
            Directory.Move(folder, Path.Combine(trash, Guid.NewGuid().ToString("N")));
        }
    }
}
