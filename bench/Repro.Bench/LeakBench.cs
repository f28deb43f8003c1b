using System.Globalization;
using System.Text;

namespace Repro.Bench;

/// <summary>
/// (h) <c>repro leak</c> on two generated CSVs of the big-file size each (a clean split: it must
/// exit 0), against awk's exact-line duplicate count over the same files — the simplest streaming
/// peer, which normalises nothing and computes no statistics. Peak memory from /usr/bin/time.
/// </summary>
public static class LeakBench
{
    private const double TargetMbPerSecond = 100;
    private static readonly string[] Cities = ["north", "south", "east", "west"];

    public static async Task<IReadOnlyList<ResultRow>> RunAsync(BenchOptions options, string temp, TextWriter log, CancellationToken cancellationToken)
    {
        var train = Path.Combine(temp, "train.csv");
        var test = Path.Combine(temp, "test.csv");
        log.WriteLine($"[leak] writing two CSVs of {options.BigFileBytes >> 20} MiB");
        var trainRows = await WriteAsync(train, options.BigFileBytes, "P", 2024, 1, cancellationToken);
        var testRows = await WriteAsync(test, options.BigFileBytes, "Q", 2025, 2, cancellationToken);
        var bytes = new FileInfo(train).Length + new FileInfo(test).Length;
        var megabytes = bytes / 1e6;

        string[] leak = [.. options.ReproPrefix, "leak", "--train", train, "--test", test, "--target", "label", "--id", "id", "--group", "patient", "--time", "visit"];
        var time = File.Exists("/usr/bin/time") ? "/usr/bin/time" : null; // GNU time, for the peak memory
        var awk = Measure.FindOnPath("awk");
        double? peakMiB = null;
        var seconds = new List<double>();
        for (var i = 0; i < options.Repeats; i++)
        {
            if (time is not null)
            {
                var result = await Measure.RunAsync(time, ["-f", "maxrss_kib=%M", options.Repro, .. leak], temp, cancellationToken);
                seconds.Add(result.Seconds);
                var line = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith("maxrss_kib=", StringComparison.Ordinal));
                if (line is not null)
                {
                    peakMiB = double.Parse(line["maxrss_kib=".Length..], CultureInfo.InvariantCulture) / 1024;
                }
            }
            else
            {
                seconds.Add((await Measure.RunAsync(options.Repro, leak, temp, cancellationToken)).Seconds);
            }
        }

        var repro = Measure.Median(seconds);
        var rate = megabytes / repro;
        double? peer = null;
        if (awk is not null)
        {
            peer = (await Measure.RunAsync(awk, ["-F,", "NR == FNR { seen[$0]; next } $0 in seen { n++ } END { print n + 0 }", train, test], temp, cancellationToken)).Seconds;
        }

        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[leak] {megabytes:0} MB in {repro:0.00} s = {rate:0} MB/s, peak {peakMiB:0} MiB; awk {peer:0.00} s"));
        return
        [
            new ResultRow(
                string.Create(CultureInfo.InvariantCulture, $"`repro leak` on 2 × {options.BigFileBytes >> 20} MiB CSVs ({Measure.Count(trainRows)} + {Measure.Count(testRows)} rows, all five checks)"),
                string.Create(CultureInfo.InvariantCulture, $"{Measure.Seconds(repro)}, {rate:0} MB/s{(peakMiB is { } p ? $", peak {p:0} MiB" : string.Empty)}"),
                peer is { } awkSeconds ? string.Create(CultureInfo.InvariantCulture, $"awk exact-line duplicates {Measure.Seconds(awkSeconds)}") : "awk not found",
                peer is { } s ? s / repro : null,
                string.Create(CultureInfo.InvariantCulture, $"≥ {TargetMbPerSecond:0} MB/s"),
                rate >= TargetMbPerSecond),
        ];
    }

    // Distinct random rows (so the train hash table holds one entry per row); the test split has
    // its own patients and later visits, so the run is clean and exits 0.
    private static async Task<long> WriteAsync(string path, long size, string patientPrefix, int year, int seed, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        await using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        await writer.WriteAsync("id,patient,visit,age,income,city,score,flag,label\n");
        long rows = 0;
        var line = new StringBuilder();
        while (writer.BaseStream.Position < size)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var k = 0; k < 10_000; k++)
            {
                line.Clear();
                line.Append(CultureInfo.InvariantCulture, $"{rows},{patientPrefix}{random.Next(100_000)},{year}-{random.Next(1, 13):00}-{random.Next(1, 29):00}T{random.Next(24):00}:00:00,");
                line.Append(CultureInfo.InvariantCulture, $"{random.Next(20, 80)},{30 + (random.NextDouble() * 80):0.000},{Cities[random.Next(4)]},{random.NextDouble():0.000000000},{random.Next(5)},{(random.NextDouble() < 0.4 ? 1 : 0)}\n");
                await writer.WriteAsync(line, cancellationToken);
                rows++;
            }

            await writer.FlushAsync(cancellationToken);
        }

        return rows;
    }
}
