using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Repro.Capture;

namespace Repro.Bench;

/// <summary>
/// (d) PythonProbe.ScanDistributions over the sys.path of a real interpreter, and over a made-up
/// site-packages of 300 distributions; the peer is importlib.metadata timed inside Python.
/// </summary>
public static class PythonScanBench
{
    private const double TargetSeconds = 0.1;
    private const int TargetDistributions = 300;
    private const int Calls = 10;

    /// <summary>Times importlib.metadata over the given path inside the interpreter (no start-up).</summary>
    private const string PeerScript = """
        import importlib.metadata as m, json, sys, time
        path = json.loads(sys.argv[1])
        times, count = [], 0
        for _ in range(int(sys.argv[2]) + 1):
            t = time.perf_counter()
            found = {}
            for d in m.distributions(path=path):
                found.setdefault(d.metadata['Name'], d.version)
            times.append(time.perf_counter() - t)
            count = len(found)
        print(json.dumps({'first': times[0], 'median': sorted(times[1:])[len(times[1:]) // 2], 'count': count}))
        """;

    public static async Task<IReadOnlyList<ResultRow>> RunAsync(BenchOptions options, string temp, TextWriter log, CancellationToken cancellationToken)
    {
        if (!File.Exists(options.Python) && Measure.FindOnPath(options.Python) is null)
        {
            log.WriteLine($"[python] {options.Python} not found: skipped (pass --python PATH)");
            return [];
        }

        var probe = await Measure.RunAsync(options.Python, ["-c", "import sys, json; print(json.dumps(sys.path))"], temp, cancellationToken);
        var sysPath = (JsonSerializer.Deserialize<List<string>>(probe.Stdout) ?? [])
            .Select(p => p.Length == 0 ? temp : p)
            .ToList();

        var fake = Path.Combine(temp, "site-packages");
        WriteFakeDistributions(fake, TargetDistributions);

        var rows = new List<ResultRow>
        {
            await MeasureAsync($"Python package scan, {options.Python} sys.path", sysPath, options, temp, log, cancellationToken),
            await MeasureAsync($"Python package scan, {TargetDistributions} made-up *.dist-info", [fake], options, temp, log, cancellationToken),
        };
        return rows;
    }

    private static async Task<ResultRow> MeasureAsync(string label, List<string> path, BenchOptions options, string temp, TextWriter log, CancellationToken cancellationToken)
    {
        // The first call in the process pays for the JIT, as it does in `repro run`.
        var watch = Stopwatch.StartNew();
        var count = PythonProbe.ScanDistributions(path).Count;
        var first = watch.Elapsed.TotalSeconds;
        var times = new List<double>();
        for (var i = 0; i < Calls; i++)
        {
            watch.Restart();
            PythonProbe.ScanDistributions(path);
            times.Add(watch.Elapsed.TotalSeconds);
        }

        var median = Measure.Median(times);
        var peer = await Measure.RunAsync(options.Python, ["-c", PeerScript, JsonSerializer.Serialize(path), Calls.ToString(CultureInfo.InvariantCulture)], temp, cancellationToken);
        using var answer = JsonDocument.Parse(peer.Stdout);
        var peerMedian = answer.RootElement.GetProperty("median").GetDouble();
        var peerCount = answer.RootElement.GetProperty("count").GetInt32();
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[python] {label}: {count} in {median * 1000:0.0} ms (first {first * 1000:0.0} ms); importlib.metadata {peerCount} in {peerMedian * 1000:0.0} ms"));

        // The target is per 300 distributions: a longer path gets a proportionally larger budget.
        var budget = TargetSeconds * Math.Max(1.0, count / (double)TargetDistributions);
        return new ResultRow(
            label,
            $"{Measure.Count(count)} dists in {Measure.Ms(median)} (first call {Measure.Ms(first)})",
            $"importlib.metadata: {Measure.Count(peerCount)} in {Measure.Ms(peerMedian)}",
            peerMedian / median,
            string.Create(CultureInfo.InvariantCulture, $"< {TargetSeconds * 1000:0} ms per {TargetDistributions} dists"),
            Math.Max(first, median) < budget);
    }

    /// <summary>Distributions shaped like pip's: a METADATA with the usual headers, then a description.</summary>
    private static void WriteFakeDistributions(string root, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"fake_package_{i:000}");
            var version = string.Create(CultureInfo.InvariantCulture, $"1.{i % 17}.{i}");
            var folder = Path.Combine(root, $"{name}-{version}.dist-info");
            Directory.CreateDirectory(folder);
            var metadata = string.Create(
                CultureInfo.InvariantCulture,
                $"Metadata-Version: 2.1\nName: {name.Replace('_', '-')}\nVersion: {version}\nSummary: A package made up for the benchmark\nAuthor: Nobody\nLicense: MIT\nClassifier: Programming Language :: Python :: 3\nRequires-Python: >=3.8\nDescription-Content-Type: text/markdown\n\n# {name}\n\n{string.Concat(Enumerable.Repeat("A long description line. ", 200))}\n");
            File.WriteAllText(Path.Combine(folder, "METADATA"), metadata);
            File.WriteAllText(Path.Combine(folder, "INSTALLER"), "pip\n");
            File.WriteAllText(Path.Combine(folder, "RECORD"), string.Empty);
            Directory.CreateDirectory(Path.Combine(root, name));
            File.WriteAllText(Path.Combine(root, name, "__init__.py"), string.Empty);
        }
    }
}
