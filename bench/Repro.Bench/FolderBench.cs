using System.Globalization;
using System.Security.Cryptography;
using Repro.Blobs.Storage;
using Repro.Model;
using Repro.Storage.Sql.StatCache;

namespace Repro.Bench;

/// <summary>
/// (b) A folder of many small files, hashed and stored into a fresh content cache with a fresh
/// SQLite stat cache, then hashed again by new instances on the same files (a second process):
/// repro against `git add` and sha256sum.
/// </summary>
public static class FolderBench
{
    private const double ColdTarget = 1.0;
    private const double WarmTarget = 0.2;
    private const int FilesPerFolder = 1000;

    public static async Task<IReadOnlyList<ResultRow>> RunAsync(BenchOptions options, string temp, TextWriter log, CancellationToken cancellationToken)
    {
        var count = options.SmallFileCount;
        var root = Path.Combine(temp, "files");
        log.WriteLine($"[folder] writing {Measure.Count(count)} files of {options.SmallFileBytes} random bytes");
        await WriteFilesAsync(root, count, options.SmallFileBytes, cancellationToken);

        // Warm the JIT (hashing, SQLite, cache) on a separate small folder, so the timings are of the work, not of compiling it.
        var warmup = Path.Combine(temp, "warmup");
        await WriteFilesAsync(warmup, 50, options.SmallFileBytes, cancellationToken);
        await HashAsync(warmup, Path.Combine(temp, "warmup-cache"), Path.Combine(temp, "warmup.db"), cancellationToken);
        await HashAsync(warmup, Path.Combine(temp, "warmup-cache"), Path.Combine(temp, "warmup.db"), cancellationToken);

        // Cold: a fresh cache and stat-cache database each time; the last pair is kept for the warm passes.
        var coldTimes = new List<double>();
        string cacheRoot = string.Empty, database = string.Empty, expected = string.Empty;
        for (var i = 0; i < options.Repeats; i++)
        {
            cacheRoot = Path.Combine(temp, $"cache{i}");
            database = Path.Combine(temp, $"state{i}.db");
            var (seconds, record, _) = await HashAsync(root, cacheRoot, database, cancellationToken);
            CheckRecord(record, count, ref expected);
            coldTimes.Add(seconds);
        }

        // A later run, not one in the same second: the stat cache trusts a cache folder only once it
        // has been left alone for 2 s (a blob written or removed in that window could be missed).
        await Task.Delay(TimeSpan.FromSeconds(2.1), cancellationToken);
        var warmTimes = new List<double>();
        for (var i = 0; i < options.Repeats; i++)
        {
            var (seconds, record, hits) = await HashAsync(root, cacheRoot, database, cancellationToken);
            CheckRecord(record, count, ref expected);
            if (hits != count)
            {
                log.WriteLine($"[folder] warning: the warm pass found only {hits} of {count} files in the stat cache");
            }

            warmTimes.Add(seconds);
        }

        var cold = Measure.Median(coldTimes);
        var warm = Measure.Median(warmTimes);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[folder] repro cold {cold:0.000} s, warm {warm:0.000} s"));

        // Folders the peers fill are moved aside, deleted only at the end: on ext4 creating files
        // soon after deleting tens of thousands is slow (see DataBench), which would slow the next peer.
        var trash = Path.Combine(temp, "folder-trash");
        Directory.CreateDirectory(trash);

        // git add: a fresh repository each time (cold), then `git add` again with the index warm.
        var gitCold = new List<double>();
        var gitWarm = new List<double>();
        for (var i = 0; i < options.Repeats; i++)
        {
            var gitDir = Path.Combine(temp, $"git{i}");
            await Measure.RunAsync("git", ["init", "-q", gitDir], temp, cancellationToken);
            string[] add = [$"--git-dir={Path.Combine(gitDir, ".git")}", $"--work-tree={root}", "add", "-A", "."];
            gitCold.Add((await Measure.RunAsync("git", add, root, cancellationToken)).Seconds);
            gitWarm.Add((await Measure.RunAsync("git", add, root, cancellationToken)).Seconds);
            DataBench.MoveAside(gitDir, trash);
        }

        var sums = new List<double>();
        for (var i = 0; i < options.Repeats; i++)
        {
            var quoted = root.Replace("'", "'\\''", StringComparison.Ordinal);
            sums.Add((await Measure.RunAsync("bash", ["-c", $"find '{quoted}' -type f -print0 | xargs -0 sha256sum > /dev/null"], temp, cancellationToken)).Seconds);
        }

        // Creating as many files: copying the folder (one thread).
        var copies = new List<double>();
        for (var i = 0; i < options.Repeats; i++)
        {
            var copyDir = Path.Combine(temp, $"copy{i}");
            copies.Add((await Measure.RunAsync("cp", ["-r", root, copyDir], temp, cancellationToken)).Seconds);
            DataBench.MoveAside(copyDir, trash);
        }

        var lfsCold = await GitLfsAddAsync(root, temp, trash, options.Repeats, log, cancellationToken);

        var files = string.Create(CultureInfo.InvariantCulture, $"{Measure.Count(count)} x {options.SmallFileBytes / 1024} KiB files");
        var coldLabel = $"{files}: hash + store, cold caches";
        var warmLabel = $"{files}: again, stat cache warm (new instances)";
        var coldTarget = string.Create(CultureInfo.InvariantCulture, $"< {ColdTarget:0.0} s");
        var warmTarget = string.Create(CultureInfo.InvariantCulture, $"< {WarmTarget:0.0} s");
        var sum = Measure.Median(sums);
        var copy = Measure.Median(copies);
        var rows = new List<ResultRow>
        {
            new(coldLabel, Measure.Seconds(cold), $"git add (fresh repo): {Measure.Seconds(Measure.Median(gitCold))}", Measure.Median(gitCold) / cold, coldTarget, cold < ColdTarget),
            new(coldLabel, Measure.Seconds(cold), $"sha256sum via find/xargs (no store): {Measure.Seconds(sum)}", sum / cold, coldTarget, cold < ColdTarget),
            new(coldLabel, Measure.Seconds(cold), $"cp -r (a plain copy, 1 thread): {Measure.Seconds(copy)}", copy / cold, coldTarget, cold < ColdTarget),
            new(warmLabel, Measure.Seconds(warm), $"git add again (index warm): {Measure.Seconds(Measure.Median(gitWarm))}", Measure.Median(gitWarm) / warm, warmTarget, warm < WarmTarget),
            new(warmLabel, Measure.Seconds(warm), $"sha256sum via find/xargs: {Measure.Seconds(sum)}", sum / warm, warmTarget, warm < WarmTarget),
        };
        if (lfsCold is { } lfs)
        {
            rows.Insert(1, new(coldLabel, Measure.Seconds(cold), $"git lfs add (fresh repo): {Measure.Seconds(lfs)}", lfs / cold, coldTarget, cold < ColdTarget));
        }

        return rows;
    }

    /// <summary>One pass as a new process would make it: new cache, stat cache and hasher objects.</summary>
    private static async Task<(double Seconds, ArtifactRecord Record, long Hits)> HashAsync(string root, string cacheRoot, string database, CancellationToken cancellationToken)
    {
        ArtifactRecord? record = null;
        ArtifactHasher? hasher = null;
        var seconds = await Measure.SecondsAsync(async () =>
        {
            hasher = new ArtifactHasher(new ContentCache(cacheRoot), new SqliteStatCache(database), TimeProvider.System);
            record = await hasher.HashAsync(root, "files", store: true, null, cancellationToken);
        });
        return (seconds, record!, hasher!.StatCacheHits);
    }

    private static void CheckRecord(ArtifactRecord record, int count, ref string expected)
    {
        if (record.Kind != ArtifactKind.Dir || record.Files != count || record.Sha256 is null)
        {
            throw new InvalidOperationException($"unexpected record: {record.Kind}, {record.Files} files");
        }

        if (expected.Length > 0 && !string.Equals(expected, record.Sha256, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the folder hash changed: {expected} then {record.Sha256}");
        }

        expected = record.Sha256;
    }

    /// <summary>Random files in sub-folders of <see cref="FilesPerFolder"/>, modified an hour ago (outside the racy window).</summary>
    internal static async Task WriteFilesAsync(string root, int count, int size, CancellationToken cancellationToken)
    {
        var buffer = new byte[size];
        var anHourAgo = DateTime.UtcNow.AddHours(-1);
        for (var i = 0; i < count; i++)
        {
            var folder = Path.Combine(root, string.Create(CultureInfo.InvariantCulture, $"d{i / FilesPerFolder:000}"));
            if (i % FilesPerFolder == 0)
            {
                Directory.CreateDirectory(folder);
            }

            var path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"f{i:00000}.bin"));
            RandomNumberGenerator.Fill(buffer);
            await File.WriteAllBytesAsync(path, buffer, cancellationToken);
            File.SetLastWriteTimeUtc(path, anHourAgo);
        }
    }

    /// <summary>
    /// `git add` with every file tracked by git-lfs (attributes in .git/info, so the folder is not
    /// touched), median of the repeats; null when `git lfs` does not work here.
    /// </summary>
    internal static async Task<double?> GitLfsAddAsync(string root, string temp, string trash, int repeats, TextWriter log, CancellationToken cancellationToken)
    {
        try
        {
            await Measure.RunAsync("git", ["lfs", "version"], temp, cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            log.WriteLine("[folder] `git lfs` does not work here: plain git only");
            return null;
        }

        var times = new List<double>();
        for (var i = 0; i < repeats; i++)
        {
            var gitDir = Path.Combine(temp, $"lfs{i}");
            var dotGit = Path.Combine(gitDir, ".git");
            await Measure.RunAsync("git", ["init", "-q", gitDir], temp, cancellationToken);
            await Measure.RunAsync("git", ["lfs", "install", "--local"], gitDir, cancellationToken);
            Directory.CreateDirectory(Path.Combine(dotGit, "info"));
            await File.WriteAllTextAsync(Path.Combine(dotGit, "info", "attributes"), "*.bin filter=lfs diff=lfs merge=lfs -text\n", cancellationToken);
            times.Add((await Measure.RunAsync("git", [$"--git-dir={dotGit}", $"--work-tree={root}", "add", "-A", "."], root, cancellationToken)).Seconds);
            DataBench.MoveAside(gitDir, trash);
        }

        return Measure.Median(times);
    }
}
