using Xunit.Abstractions;

namespace Repro.Cli.Tests.Faults;

/// <summary>
/// `repro data push`, `pull` and `gc` SIGKILLed at random points (seeded, so a failure replays):
/// afterwards `repro data fsck` (cache and remote) and `repro audit verify` find everything clean,
/// and the same command run again completes. The first kills land at random from about when the
/// command's no-op run ends (start-up done) to past when its full run ends, the later ones close
/// in on the moment the work happens (<see cref="KillWindow"/>); each test asserts that some kills
/// did land mid-way (part of the blobs moved or removed).
/// </summary>
public sealed class DataFaultTests(ITestOutputHelper output)
{
    private const int Reps = 6;
    private const int MaxReps = 20;

    [Fact]
    public async Task Push_killed_at_random_points_leaves_cache_and_remote_clean_and_the_next_push_completes()
    {
        var random = new Random(4101);
        using var dir = new Workdir();
        using var remote = new Workdir();
        await dir.InitAsync();
        await OkAsync(dir, ["data", "add", .. FaultData.Write(dir, seed: 1)]);
        await OkAsync(dir, "remote", "add", "origin", remote.Path);
        var (full, _) = await Kill.TimeAsync(dir.Path, null, "data", "push");
        var total = StoreHealth.Blobs(remote.Path).Count;
        var (noop, _) = await Kill.TimeAsync(dir.Path, null, "data", "push");
        var window = new KillWindow(random, noop * 0.7, full * 1.2);
        for (var rep = 0; rep < MaxReps && (rep < Reps || window.Partial < 2); rep++)
        {
            FaultData.Delete(Path.Combine(remote.Path, "sha256"));
            var delay = window.Next(rep, Reps);
            var killed = await Kill.AfterAsync(dir.Path, null, delay, "data", "push");
            var there = StoreHealth.Blobs(remote.Path).Count;
            window.Record(delay, killed, (double)there / total);
            output.WriteLine($"rep {rep}: kill after {delay.TotalMilliseconds:0} ms: killed {killed}, {there}/{total} blobs on the remote");
            await StoreHealth.AssertCleanAsync(dir.Path, checkRemote: true, context: $"push rep {rep}");

            var again = await OkAsync(dir, "data", "push");
            Assert.Contains($"pushed {total - there} blobs", again.Stdout, StringComparison.Ordinal);
            Assert.Equal(total, StoreHealth.Blobs(remote.Path).Count);
        }

        Assert.True(window.Partial >= 1, "no kill landed while blobs were moving: the fault window missed the work");
        await StoreHealth.AssertCleanAsync(dir.Path, checkRemote: true, context: "after the last push");
        using var clone = await FaultData.CloneAsync(dir);
        await OkAsync(clone, "data", "pull");
        Assert.Equal(FaultData.Snapshot(dir, "data"), FaultData.Snapshot(clone, "data"));
    }

    [Fact]
    public async Task Pull_killed_at_random_points_leaves_cache_and_workspace_clean_and_the_next_pull_restores_every_byte()
    {
        var random = new Random(4102);
        using var dir = new Workdir();
        using var remote = new Workdir();
        await dir.InitAsync();
        await OkAsync(dir, ["data", "add", .. FaultData.Write(dir, seed: 2)]);
        await OkAsync(dir, "remote", "add", "origin", remote.Path);
        await OkAsync(dir, "data", "push");
        var expected = FaultData.Snapshot(dir, "data");
        using var clone = await FaultData.CloneAsync(dir);
        var (full, _) = await Kill.TimeAsync(clone.Path, null, "data", "pull");
        var total = StoreHealth.Blobs(clone.Combine(".repro", "cache")).Count;
        var (noop, _) = await Kill.TimeAsync(clone.Path, null, "data", "pull");
        var window = new KillWindow(random, noop * 0.7, full * 1.2);
        for (var rep = 0; rep < MaxReps && (rep < Reps || window.Partial < 2); rep++)
        {
            FaultData.Delete(clone.Combine(".repro", "cache", "sha256"));
            FaultData.Delete(clone.Combine("data"));
            Directory.CreateDirectory(clone.Combine("data"));
            foreach (var pointer in Directory.EnumerateFiles(dir.Combine("data"), "*.repro"))
            {
                File.Copy(pointer, clone.Combine("data", Path.GetFileName(pointer)));
            }

            var delay = window.Next(rep, Reps);
            var killed = await Kill.AfterAsync(clone.Path, null, delay, "data", "pull");
            var there = StoreHealth.Blobs(clone.Combine(".repro", "cache")).Count;
            window.Record(delay, killed, (double)there / total);
            output.WriteLine($"rep {rep}: kill after {delay.TotalMilliseconds:0} ms: killed {killed}, {there}/{total} blobs in the cache");
            await StoreHealth.AssertCleanAsync(clone.Path, context: $"pull rep {rep}");

            await OkAsync(clone, "data", "pull");
            await OkAsync(clone, "data", "status");
            Assert.Equal(expected, FaultData.Snapshot(clone, "data"));
        }

        Assert.True(window.Partial >= 1, "no kill landed while blobs were arriving: the fault window missed the work");
    }

    [Fact]
    public async Task Gc_killed_at_random_points_keeps_every_tracked_blob_and_the_next_gc_finishes_the_job()
    {
        var random = new Random(4103);
        using var dir = new Workdir();
        await dir.InitAsync();
        await OkAsync(dir, ["data", "add", .. FaultData.Write(dir, seed: 3, files: 300)]);
        var expected = FaultData.Snapshot(dir, "data");
        var keep = StoreHealth.Blobs(dir.Combine(".repro", "cache")).Count;

        async Task<int> GarbageAsync(int seed)
        {
            await OkAsync(dir, ["data", "add", .. FaultData.Write(dir, seed, folder: "old/images")]);
            FaultData.Delete(dir.Combine("old"));
            return StoreHealth.Blobs(dir.Combine(".repro", "cache")).Count;
        }

        var total = await GarbageAsync(100);
        var (full, _) = await Kill.TimeAsync(dir.Path, null, "data", "gc");
        var (noop, _) = await Kill.TimeAsync(dir.Path, null, "data", "gc");
        var window = new KillWindow(random, noop * 0.7, full * 1.2);
        for (var rep = 0; rep < MaxReps && (rep < Reps || window.Partial < 2); rep++)
        {
            Assert.Equal(total, await GarbageAsync(101 + rep));
            var delay = window.Next(rep, Reps);
            var killed = await Kill.AfterAsync(dir.Path, null, delay, "data", "gc");
            var there = StoreHealth.Blobs(dir.Combine(".repro", "cache")).Count;
            window.Record(delay, killed, (double)(total - there) / (total - keep));
            output.WriteLine($"rep {rep}: kill after {delay.TotalMilliseconds:0} ms: killed {killed}, {there} blobs left ({keep} kept, {total} before)");
            Assert.True(there >= keep, $"gc removed a tracked blob: {there} left of {keep}");
            await StoreHealth.AssertCleanAsync(dir.Path, context: $"gc rep {rep}");
            await OkAsync(dir, "data", "status");

            await OkAsync(dir, "data", "gc");
            Assert.Equal(keep, StoreHealth.Blobs(dir.Combine(".repro", "cache")).Count);
            Assert.Equal(expected, FaultData.Snapshot(dir, "data"));
        }

        Assert.True(window.Partial >= 1, "no kill landed while blobs were being removed: the fault window missed the work");
    }

    [Fact]
    public async Task A_checkout_killed_before_its_rename_leaves_a_temp_file_that_the_next_pull_removes_and_a_users_file_still_stops_it()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        dir.Write("data/images/a.bin", "a");
        dir.Write("data/images/b.bin", "b");
        await OkAsync(dir, "data", "add", "data/images");
        // What BlobLinker.Place leaves when killed between making the file and renaming it.
        FaultData.Delete(dir.Combine("data", "images", "b.bin"));
        dir.Write("data/images/.b.bin.0123456789abcdef0123456789abcdef.tmp", "b");

        await OkAsync(dir, "data", "checkout");
        Assert.Equal(["a.bin", "b.bin"], Directory.GetFiles(dir.Combine("data", "images")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        await OkAsync(dir, "data", "status");

        dir.Write("data/images/.notes.tmp", "mine");
        var refused = await dir.ReproAsync("data", "checkout");
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains(".notes.tmp (not in the pointer)", refused.Stderr, StringComparison.Ordinal);
    }

    private static async Task<ReproProcess.Result> OkAsync(Workdir dir, params string[] args)
    {
        var result = await dir.ReproAsync(args);
        Assert.True(result.ExitCode == 0, $"repro {string.Join(' ', args)}\n{result}");
        return result;
    }
}
