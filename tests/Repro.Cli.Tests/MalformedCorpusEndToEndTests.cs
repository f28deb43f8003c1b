using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Repro.Cli.Tests;

/// <summary>
/// The checked-in corpus of malformed files (tests/Corpus/malformed, made by generate.py) and the
/// big ones made here (10 MB single lines, a 20 MB metrics file, a zip over a lowered entry limit),
/// each run through the real repro command that reads it: every one must end in one clear
/// <c>repro:</c> line and a documented exit code (never 70, never a stack trace), in at most 2 s of
/// CPU and 200 MB of peak memory — both read from the child's rusage once it has exited — and
/// leave no temp file in the cache and no half-recorded run. The array-file comparers (.npy,
/// .safetensors, .npz), which only verify reaches, run the same corpus in process
/// (Repro.Tests MalformedCorpusTests).
/// </summary>
public sealed class MalformedCorpusEndToEndTests
{
    private const long MaxPeakKib = 200 * 1024;
    private const double MaxCpuSeconds = 2.0;

    // Runs each command under wait4 accounting: getrusage(RUSAGE_CHILDREN) after the child and its
    // own children are reaped gives their peak RSS (KiB) and CPU seconds, exact and race-free.
    private const string Measure = """
        import resource, subprocess, sys
        out, cmd = sys.argv[1], sys.argv[2:]
        child = subprocess.Popen(cmd)
        try:
            code = child.wait(timeout=60)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
            code = "timeout"
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        with open(out, "w") as f:
            f.write(f"{code} {usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}")
        """;

    private static readonly string CorpusRoot = Path.Combine(AppContext.BaseDirectory, "Corpus", "malformed");

    // One `repro init` for all cases: each copies the fresh .repro/ folder (a process less per case).
    private static readonly Lazy<Task<string>> Template = new(async () =>
    {
        var dir = Path.Combine(Path.GetTempPath(), "repro-corpus-template-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var init = await ReproProcess.RunAsync(dir, "init");
        Assert.True(init.ExitCode == 0, init.ToString());
        return Path.Combine(dir, ".repro");
    });

    [Fact]
    public async Task Every_malformed_input_ends_in_one_clear_error_within_2_s_of_cpu_and_200_MB_leaving_nothing_half_written()
    {
        var cases = CorpusCases().Concat(GeneratedCases()).ToList();
        Assert.True(cases.Count >= 200, $"only {cases.Count} cases");
        var script = Path.Combine(Path.GetTempPath(), "repro-measure-" + Guid.NewGuid().ToString("N")[..8] + ".py");
        await File.WriteAllTextAsync(script, Measure);
        var failures = new ConcurrentBag<string>();
        var peaks = new ConcurrentBag<(long Kib, double Cpu, string Name)>();
        try
        {
            await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (c, _) =>
            {
                try
                {
                    var (problem, kib, cpu) = await RunCaseAsync(c, script);
                    peaks.Add((kib, cpu, c.Name));
                    if (problem is not null)
                    {
                        failures.Add($"{c.Name}: {problem}");
                    }
                }
                catch (Exception ex) when (ex is IOException or InvalidOperationException or JsonException or FormatException)
                {
                    failures.Add($"{c.Name}: the test harness failed: {ex.Message}");
                }
            });
        }
        finally
        {
            File.Delete(script);
        }

        Assert.True(failures.IsEmpty, $"{failures.Count} of {cases.Count} cases failed:\n" + string.Join("\n", failures.Order(StringComparer.Ordinal)));
        Assert.Equal(cases.Count, peaks.Count);
    }

    [Fact]
    public async Task A_limit_is_raised_by_the_environment_variable_its_message_names()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        dir.Write("metrics.json", "{\"a\": " + new string('[', 300) + "1" + new string(']', 300) + "}");
        var refused = await dir.ReproAsync("run", "--metrics", "metrics.json", "--", "true");
        Assert.True(refused.ExitCode == 0, refused.ToString());
        Assert.Contains("REPRO_LIMIT_JSON_MAX_DEPTH", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("over the limit of 256 levels of nesting", refused.Stderr, StringComparison.Ordinal);
        var raised = await ReproProcess.RunWithAsync(dir.Path, new Dictionary<string, string?> { ["REPRO_LIMIT_JSON_MAX_DEPTH"] = "1000" }, null, "run", "--metrics", "metrics.json", "--", "true");
        Assert.True(raised.ExitCode == 0, raised.ToString());
        Assert.DoesNotContain("could not be read", raised.Stderr, StringComparison.Ordinal);
        var manifest = await dir.ManifestAsync();
        Assert.Equal(1, manifest.GetProperty("metrics").GetProperty("values").GetProperty(string.Join('.', Enumerable.Repeat("0", 300)).Insert(0, "a.")).GetDouble());
    }

    private static IEnumerable<MalformedInputCase> CorpusCases()
    {
        foreach (var folder in Directory.EnumerateDirectories(CorpusRoot).Order(StringComparer.Ordinal))
        {
            var category = Path.GetFileName(folder);
            foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
            {
                var made = For(category, $"{category}/{Path.GetFileName(file)}", () => File.ReadAllBytes(file));
                if (made is not null)
                {
                    yield return made;
                }
            }
        }
    }

    /// <summary>The case for a file of <paramref name="category"/>; null for the array formats only verify reaches (tested in process).</summary>
    private static MalformedInputCase? For(string category, string name, Func<byte[]> content) => category switch
    {
        "metrics-json" => Metrics(name, content, "metrics.json"),
        "metrics-yaml" => Metrics(name, content, "metrics.yaml"),
        "metrics-csv" => Metrics(name, content, "metrics.csv"),
        "metrics-tsv" => Metrics(name, content, "metrics.tsv"),
        "params-json" => new() { Name = name, Content = content, Target = "params.json", Args = ["run", "--params-file", "params.json", "--", "true"] },
        "params-yaml" => new() { Name = name, Content = content, Target = "params.yaml", Args = ["run", "--params-file", "params.yaml", "--", "true"] },
        "notebook" => new() { Name = name, Content = content, Target = "train.ipynb", Args = ["lint", "train.ipynb"], Init = false, Finding = true },
        "pointer" => new() { Name = name, Content = content, Target = "data.csv.repro", Args = ["data", "status"] },
        "dvc" => new() { Name = name, Content = content, Target = "data.dvc", Args = ["data", "status"] },
        "dvc-lock" => new() { Name = name, Content = content, Target = "dvc.lock", Args = ["data", "status"] },
        "bundle" => new() { Name = name, Content = content, Target = "in.reprobundle", Args = ["import", "in.reprobundle"], ExitCodes = [2, 3] },
        "steplog" => new() { Name = name, Content = content, Target = "log.jsonl", Args = ["run", "--", "sh", "-c", "cat log.jsonl >> \"$REPRO_METRICS_FILE\""], Recorded = true },
        "config" => new() { Name = name, Content = content, Target = ".repro/config.yaml", Args = ["remote", "list"] },
        "leak" => new()
        {
            Name = name,
            Content = content,
            Target = "train.csv",
            Args = ["leak", "--train", "train.csv", "--test", "test.csv", "--target", "y"],
            Init = false,
            Beside = new Dictionary<string, string> { ["test.csv"] = "id,x,y\n1,2,0\n2,3,1\n" },
        },
        _ => null,
    };

    private static MalformedInputCase Metrics(string name, Func<byte[]> content, string target) =>
        new() { Name = name, Content = content, Target = target, Args = ["run", "--metrics", target, "--", "true"], Recorded = true };

    /// <summary>Inputs too big to check in: made here, each through the same command as its category.</summary>
    private static IEnumerable<MalformedInputCase> GeneratedCases()
    {
        var line = new string('7', 10 << 20);
        yield return For("metrics-csv", "generated/metrics-csv-10MB-line", () => Encoding.UTF8.GetBytes("step,loss\n0," + line + "\n"))!;
        yield return For("metrics-json", "generated/metrics-json-20MB", () => Encoding.UTF8.GetBytes("{\"a\": \"" + line + line + "\"}"))!;
        yield return For("metrics-yaml", "generated/metrics-yaml-20MB", () => Encoding.UTF8.GetBytes("a: " + line + line + "\n"))!;
        yield return For("steplog", "generated/steplog-10MB-line", () => Encoding.UTF8.GetBytes("{\"key\": \"loss\", \"value\": 0.5}\n{\"key\": \"" + line + "\"}\n"))!;
        yield return For("leak", "generated/leak-10MB-line", () => Encoding.UTF8.GetBytes("id,x,y\n1," + line + ",0\n"))!;
        yield return For("pointer", "generated/pointer-10MB-line", () => Encoding.UTF8.GetBytes("sha256: " + line + "\n"))!;
        yield return For("dvc-lock", "generated/dvc-lock-20MB", () => Encoding.UTF8.GetBytes("schema: '2.0'\n# " + line + line + "\n"))!;
        yield return For("notebook", "generated/notebook-10MB-nesting", () => Encoding.UTF8.GetBytes("{\"cells\": " + new string('[', 10 << 20)))!;
        yield return For("params-json", "generated/params-json-10MB-number", () => Encoding.UTF8.GetBytes("{\"lr\": " + line + "}"))!;
        yield return For("config", "generated/config-20MB", () => Encoding.UTF8.GetBytes("version: 1\nremotes:\n  origin: {url: '" + line + line + "'}\n"))!;
        yield return For("bundle", "generated/bundle-over-a-lowered-entry-limit", ManyEntries)! with
        {
            Environment = new Dictionary<string, string?> { ["REPRO_LIMIT_ZIP_MAX_ENTRIES"] = "100" },
        };
    }

    private static byte[] ManyEntries()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            for (var i = 0; i < 500; i++)
            {
                zip.CreateEntry($"blobs/{i:x64}");
            }
        }

        return buffer.ToArray();
    }

    private static async Task<(string? Problem, long PeakKib, double CpuSeconds)> RunCaseAsync(MalformedInputCase c, string script)
    {
        using var dir = new Workdir();
        if (c.Init)
        {
            CopyFolder(await Template.Value, dir.Combine(".repro"));
        }

        var target = dir.Combine(c.Target);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        await File.WriteAllBytesAsync(target, c.Content());
        foreach (var (relative, text) in c.Beside)
        {
            dir.Write(relative, text);
        }

        var measured = dir.Combine(".measured");
        var result = await MeasuredAsync(dir.Path, script, measured, c);
        var fields = (await File.ReadAllTextAsync(measured)).Split(' ');
        File.Delete(measured);
        var kib = long.Parse(fields[1], CultureInfo.InvariantCulture);
        var cpu = double.Parse(fields[2], CultureInfo.InvariantCulture);
        var problems = new List<string>();
        if (fields[0] == "timeout")
        {
            problems.Add("did not end within 60 s");
        }

        if (kib > MaxPeakKib)
        {
            problems.Add($"peak memory {kib / 1024} MB");
        }

        if (cpu > MaxCpuSeconds)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{cpu:F2} s of CPU"));
        }

        if (result.Stderr.Contains("unexpected error", StringComparison.Ordinal) || result.Stderr.Contains("   at ", StringComparison.Ordinal))
        {
            problems.Add("an internal error");
        }

        if (c.Finding)
        {
            // repro lint reports a file it cannot read as a finding on that file and goes on with the others.
            if (result.ExitCode != 1 || !result.Stdout.Contains("train.ipynb", StringComparison.Ordinal) || !result.Stdout.Contains("SYNTAX", StringComparison.Ordinal) || result.Stderr.Contains("unexpected", StringComparison.Ordinal))
            {
                problems.Add("expected exit 1 and a SYNTAX finding naming the file");
            }
        }
        else if (c.Recorded)
        {
            if (result.ExitCode != 0 || (c.Target != "log.jsonl" && !result.Stderr.Contains("repro: warning:", StringComparison.Ordinal)))
            {
                problems.Add("the run was not recorded with a warning");
            }
        }
        else
        {
            var errors = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("repro: warning:", StringComparison.Ordinal)).ToList();
            if (!c.ExitCodes.Contains(result.ExitCode) || errors.Count != 1 || !errors[0].StartsWith("repro: ", StringComparison.Ordinal))
            {
                problems.Add($"expected one 'repro:' line and exit {string.Join(" or ", c.ExitCodes)}");
            }
        }

        if (c.Init)
        {
            problems.AddRange(await HalfWrittenAsync(dir, c.Recorded ? 1 : 0, c.Target == ".repro/config.yaml"));
        }

        return (problems.Count == 0 ? null : string.Join("; ", problems) + "\n" + Shorten(result.ToString()), kib, cpu);
    }

    private static async Task<ReproProcess.Result> MeasuredAsync(string directory, string script, string measured, MalformedInputCase c)
    {
        var info = new ProcessStartInfo("/usr/bin/python3")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(measured);
        if (ReproProcess.Executable is { } exe)
        {
            info.ArgumentList.Add(exe);
        }
        else
        {
            info.ArgumentList.Add("dotnet");
            info.ArgumentList.Add(ReproProcess.Dll);
        }

        foreach (var arg in c.Args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["NO_COLOR"] = "1";
        info.Environment.Remove("REPRO_SEED");
        foreach (var (key, value) in c.Environment)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        var code = (await File.ReadAllTextAsync(measured)).Split(' ')[0];
        return new ReproProcess.Result(int.TryParse(code, CultureInfo.InvariantCulture, out var exit) ? exit : -1, await stdout, await stderr);
    }

    /// <summary>Temp files left in the cache, or a run count other than <paramref name="runs"/>.</summary>
    private static async Task<IEnumerable<string>> HalfWrittenAsync(Workdir dir, int runs, bool configBroken)
    {
        var problems = new List<string>();
        var cache = dir.Combine(".repro", "cache");
        if (Directory.Exists(cache))
        {
            var temps = Directory.EnumerateFiles(cache, "*", SearchOption.AllDirectories).Where(f => f.EndsWith(".tmp", StringComparison.Ordinal)).ToList();
            if (temps.Count > 0)
            {
                problems.Add($"{temps.Count} temp files left in the cache");
            }
        }

        if (!configBroken)
        {
            var list = await dir.ReproAsync("runs", "--json");
            var count = list.ExitCode == 0 ? JsonDocument.Parse(list.Stdout).RootElement.GetArrayLength() : -1;
            if (count != runs)
            {
                problems.Add($"{count} runs recorded, expected {runs}");
            }
        }

        return problems;
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var folder in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, folder)));
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }

    private static string Shorten(string text) => text.Length > 1500 ? text[..1500] + "…" : text;
}
