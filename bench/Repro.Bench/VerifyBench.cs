using System.Globalization;
using Repro.Judging.Comparison;
using Repro.Model.Verdicts;

namespace Repro.Bench;

/// <summary>
/// Verification figures: (a) comparing two float32 .npy files with tolerance, against NumPy's
/// allclose on the same files (Debian's NumPy), with peak memory of each; (b) what
/// `repro verify` (scratch worktree + restore + capture) adds to a 1-second training script.
/// </summary>
public static class VerifyBench
{
    private const string Python = "/usr/bin/python3";

    public static async Task<IReadOnlyList<ResultRow>> RunAsync(BenchOptions options, string temp, TextWriter log, CancellationToken cancellationToken)
    {
        var rows = new List<ResultRow>();
        if (options.Only.Contains("npy"))
        {
            rows.AddRange(await NpyAsync(options, temp, log, cancellationToken));
        }

        if (options.Only.Contains("verify"))
        {
            rows.AddRange(await OverheadAsync(options, temp, log, cancellationToken));
        }

        return rows;
    }

    private static async Task<IReadOnlyList<ResultRow>> NpyAsync(BenchOptions options, string temp, TextWriter log, CancellationToken cancellationToken)
    {
        var work = Directory.CreateDirectory(Path.Combine(temp, "npy")).FullName;
        var count = options.BigFileBytes / 4;
        var a = Path.Combine(work, "a.npy");
        var b = Path.Combine(work, "b.npy");
        log.WriteLine($"[npy] writing two float32 arrays of {Measure.Count(count)} elements with NumPy");
        var make = string.Create(CultureInfo.InvariantCulture, $"""
            import numpy as np
            n = {count}
            a = np.lib.format.open_memmap("{a}", mode="w+", dtype=np.float32, shape=(n,))
            b = np.lib.format.open_memmap("{b}", mode="w+", dtype=np.float32, shape=(n,))
            step = 1 << 24
            rng = np.random.default_rng(0)
            for i in range(0, n, step):
                x = rng.standard_normal(min(step, n - i), dtype=np.float32)
                a[i:i + len(x)] = x
                b[i:i + len(x)] = x * np.float32(1 + 2e-7)
            a.flush(); b.flush()
            """);
        await Measure.RunAsync(Python, ["-c", make], work, cancellationToken);

        // Let writeback finish, then warm the page cache for both files, so both tools read from memory.
        await Measure.RunAsync("sync", [], work, cancellationToken);
        await BytesComparer.FirstDifferenceAsync(a, a, cancellationToken);
        await BytesComparer.FirstDifferenceAsync(b, b, cancellationToken);

        var comparer = new NpyComparer();
        ComparisonResult? result = null;
        var times = new List<double>();
        long peak = 0;
        for (var i = 0; i < options.Repeats; i++)
        {
            ResetPeak();
            var before = CurrentRss();
            times.Add(await Measure.SecondsAsync(async () => result = await comparer.CompareAsync(a, b, new ComparisonOptions(), cancellationToken)));
            peak = Math.Max(peak, PeakRss() - before);
        }

        var numpy = string.Create(CultureInfo.InvariantCulture, $"""
            import numpy as np, resource, time
            t = time.perf_counter()
            a = np.load("{a}"); b = np.load("{b}")
            ok = np.allclose(b, a, rtol=1e-5, atol=1e-8)
            print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, ok)
            """);
        var peerTimes = new List<double>();
        long peerPeak = 0;
        for (var i = 0; i < options.Repeats; i++)
        {
            var output = (await Measure.RunAsync(Python, ["-c", numpy], work, cancellationToken)).Stdout.Split(' ');
            peerTimes.Add(double.Parse(output[0], CultureInfo.InvariantCulture));
            peerPeak = Math.Max(peerPeak, long.Parse(output[1], CultureInfo.InvariantCulture));
        }

        var repro = Measure.Median(times);
        var peer = Measure.Median(peerTimes);
        log.WriteLine($"[npy] repro {result!.Verdict} ({result.Detail}) in {Measure.Seconds(repro)}; numpy {Measure.Seconds(peer)}");
        var size = $"{options.BigFileBytes >> 20} MiB";
        return
        [
            new ResultRow($"compare two {size} float32 .npy (tolerance)", $"{Measure.Seconds(repro)}, peak +{peak >> 20} MiB", $"numpy.allclose (np.load): {Measure.Seconds(peer)}, peak {peerPeak >> 20} MiB", peer / repro, ">= 2x numpy, < 100 MB", peer / repro >= 2 && peak < 100L << 20),
        ];
    }

    private static async Task<IReadOnlyList<ResultRow>> OverheadAsync(BenchOptions options, string temp, TextWriter log, CancellationToken cancellationToken)
    {
        var work = Directory.CreateDirectory(Path.Combine(temp, "verify")).FullName;
        await File.WriteAllTextAsync(Path.Combine(work, "train.py"), """
            import json, time
            start = time.perf_counter()
            x = 0
            while time.perf_counter() - start < 1.0:
                x += 1
            json.dump({"done": 1}, open("metrics.json", "w"))
            """, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(work, "data.csv"), "a,b\n1,2\n", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(work, ".gitignore"), "metrics.json\n", cancellationToken);
        await Measure.RunAsync("git", ["init", "-q"], work, cancellationToken);
        await Measure.RunAsync("git", ["add", "."], work, cancellationToken);
        await Measure.RunAsync("git", ["-c", "user.name=bench", "-c", "user.email=bench@example.test", "commit", "-qm", "bench"], work, cancellationToken);
        await Measure.RunAsync(options.Repro, [.. options.ReproPrefix, "init"], work, cancellationToken);
        await Measure.RunAsync(options.Repro, [.. options.ReproPrefix, "run", "-q", "--name", "bench", "--dep", "data.csv", "--metrics", "metrics.json", "--seed", "1", "--", Python, "train.py"], work, cancellationToken);

        var bare = new List<double>();
        var verify = new List<double>();
        log.WriteLine($"[verify] {options.Repeats} x bare 1 s script and `repro verify`");
        for (var i = 0; i < options.Repeats; i++)
        {
            bare.Add((await Measure.RunAsync(Python, ["train.py"], work, cancellationToken)).Seconds);
            verify.Add((await Measure.RunAsync(options.Repro, [.. options.ReproPrefix, "verify", "bench"], work, cancellationToken)).Seconds);
        }

        var ratio = Measure.Median(verify) / Measure.Median(bare);
        return
        [
            new ResultRow("`repro verify` of a 1 s training script (worktree + restore + capture)", $"{Measure.Seconds(Measure.Median(verify))} ({ratio:0.00}x the script)", $"bare script: {Measure.Seconds(Measure.Median(bare))}", null, "< 1.3x the script", ratio < 1.3),
        ];
    }

    /// <summary>Resets this process's peak resident memory (Linux: write 5 to /proc/self/clear_refs).</summary>
    private static void ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static long PeakRss() => StatusKb("VmHWM:");

    private static long CurrentRss() => StatusKb("VmRSS:");

    private static long StatusKb(string field)
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line[field.Length..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture) * 1024;
    }
}
