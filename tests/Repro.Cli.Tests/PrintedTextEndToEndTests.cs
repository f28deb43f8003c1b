using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Repro.Cli.Tests;

/// <summary>
/// Verify judges what a command printed: the cases of the issue "a verdict never claims more than
/// it compared", with real scripts and Debian's scikit-learn.
/// </summary>
public sealed class PrintedTextEndToEndTests
{
    private const string Python = "/usr/bin/python3";

    private static async Task<Workdir> ProjectAsync(params (string Path, string Content)[] files)
    {
        Assert.True(File.Exists(Python), "Debian's python3 with scikit-learn is needed (scripts/test installs it)");
        var dir = new Workdir();
        await ReproProcess.GitAsync(dir.Path, "init", "-q");
        foreach (var (path, content) in files)
        {
            dir.Write(path, content);
        }

        dir.Write(".gitignore", "out/\n");
        await ReproProcess.GitAsync(dir.Path, "add", ".");
        await ReproProcess.GitAsync(dir.Path, "commit", "-qm", "scripts");
        await dir.InitAsync();
        return dir;
    }

    private static Task<(int Exit, JsonElement Report, ReproProcess.Result Raw)> VerifyAsync(Workdir dir, params string[] args) =>
        VerifyEndToEndTests.VerifyAsync(dir, args);

    private static JsonElement Stream(JsonElement report, string name) =>
        report.GetProperty("printed").EnumerateArray().Single(p => p.GetProperty("stream").GetString() == name);

    private static List<string> Compared(JsonElement report) =>
        report.GetProperty("compared").EnumerateArray().Select(c => c.GetString()!).ToList();

    [Fact]
    public async Task An_unseeded_print_diverges_and_shows_both_values()
    {
        using var dir = await ProjectAsync(("r.py", "import random\nprint(random.random())\n"));
        var run = await dir.ReproAsync("run", "--name", "r", "--", Python, "r.py");
        Assert.Equal(0, run.ExitCode);
        var original = run.Stdout.Trim();

        var (exit, report, raw) = await VerifyAsync(dir, "r");
        Assert.True(exit == 1, raw.ToString());
        Assert.Equal("DIVERGED", report.GetProperty("verdict").GetString());
        Assert.DoesNotContain("bit for bit", report.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Contains("stdout", Compared(report));
        var stdout = Stream(report, "stdout");
        Assert.Equal("DIVERGED", stdout.GetProperty("verdict").GetString());
        var line = stdout.GetProperty("lines")[0];
        Assert.Equal(1, line.GetProperty("line").GetInt64());
        Assert.Equal(original, line.GetProperty("original").GetString());
        var again = line.GetProperty("reproduced").GetString()!;
        Assert.NotEqual(original, again);
        Assert.Contains(original, stdout.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(again, stdout.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The readable report shows both values too.
        var text = await dir.ReproAsync("verify", "r");
        Assert.Contains("printed", text.Stdout, StringComparison.Ordinal);
        Assert.Contains($"original    \"{original}\"", text.Stdout, StringComparison.Ordinal);

        // One verify may set stdout aside: then nothing was compared.
        var (ignoredExit, ignored, ignoredRaw) = await VerifyAsync(dir, "r", "--ignore-stdout");
        Assert.True(ignoredExit == 4, ignoredRaw.ToString());
        Assert.Equal("UNVERIFIED", ignored.GetProperty("verdict").GetString());
        Assert.Empty(Compared(ignored));
    }

    [Fact]
    public async Task The_same_print_seeded_from_REPRO_SEED_is_IDENTICAL()
    {
        using var dir = await ProjectAsync(("r.py", "import os, random\nrandom.seed(int(os.environ['REPRO_SEED']))\nprint(random.random())\n"));
        Assert.Equal(0, (await dir.ReproAsync("run", "--name", "r", "--seed", "5", "--", Python, "r.py")).ExitCode);
        var (exit, report, raw) = await VerifyAsync(dir, "r");
        Assert.True(exit == 0, raw.ToString());
        Assert.Equal("IDENTICAL", report.GetProperty("verdict").GetString());
        Assert.Equal(["stdout"], Compared(report));
        var stdout = Stream(report, "stdout");
        Assert.Equal("sha256", stdout.GetProperty("comparer").GetString());
        Assert.Equal(stdout.GetProperty("original_sha256").GetString(), stdout.GetProperty("reproduced_sha256").GetString());
    }

    [Fact]
    public async Task A_seeded_scikit_learn_script_that_prints_its_fit_time_reproduces_naming_the_duration_mask()
    {
        using var dir = await ProjectAsync(("fit.py", """
            import os, time
            from sklearn.datasets import make_classification
            from sklearn.ensemble import RandomForestClassifier
            from sklearn.model_selection import train_test_split
            seed = int(os.environ["REPRO_SEED"])
            X, y = make_classification(n_samples=300, n_features=8, random_state=seed)
            X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=seed)
            start = time.perf_counter()
            model = RandomForestClassifier(n_estimators=20, random_state=seed).fit(X_train, y_train)
            print(f"fit in {time.perf_counter() - start + 1e-6:.6f}s")
            print(f"accuracy {model.score(X_test, y_test):.4f}")
            """));
        Assert.Equal(0, (await dir.ReproAsync("run", "--name", "fit", "--seed", "1", "--", Python, "fit.py")).ExitCode);
        var (exit, report, raw) = await VerifyAsync(dir, "fit");
        Assert.True(exit == 0, raw.ToString());
        Assert.Contains(report.GetProperty("verdict").GetString(), new[] { "IDENTICAL", "EQUIVALENT" });
        var stdout = Stream(report, "stdout");
        Assert.Equal("EQUIVALENT", stdout.GetProperty("verdict").GetString());
        Assert.True(stdout.GetProperty("masked").TryGetProperty("duration", out _), stdout.ToString());
        Assert.Contains("duration", stdout.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(report.GetProperty("masks").EnumerateArray(), m => m.GetProperty("name").GetString() == "duration");
    }

    [Fact]
    public async Task A_float_that_moves_in_the_twelfth_digit_is_EQUIVALENT_and_names_the_tolerance()
    {
        using var dir = await ProjectAsync(("f.py", "import random\nprint(repr(0.123456789 + random.SystemRandom().random() * 1e-12 + 1e-13))\n"));
        Assert.Equal(0, (await dir.ReproAsync("run", "--name", "f", "--", Python, "f.py")).ExitCode);
        var (exit, report, raw) = await VerifyAsync(dir, "f");
        Assert.True(exit == 0, raw.ToString());
        Assert.Equal("EQUIVALENT", report.GetProperty("verdict").GetString());
        var stdout = Stream(report, "stdout");
        Assert.Equal("rtol=1E-05, atol=1E-08", stdout.GetProperty("tolerance").GetString());
        Assert.Equal("within tolerance", stdout.GetProperty("lines")[0].GetProperty("judged").GetString());
        Assert.True(stdout.GetProperty("max_abs_error").GetDouble() < 1e-11);

        // With no tolerance at all the same move diverges.
        var (strictExit, strict, strictRaw) = await VerifyAsync(dir, "f", "--rtol", "0", "--atol", "0");
        Assert.True(strictExit == 1, strictRaw.ToString());
        Assert.Equal("DIVERGED", strict.GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task A_run_that_prints_and_writes_nothing_is_UNVERIFIED_and_not_counted_by_check()
    {
        using var dir = await ProjectAsync(("quiet.py", "x = 1 + 1\n"));
        Assert.Equal(0, (await dir.ReproAsync("run", "--name", "quiet", "--", Python, "quiet.py")).ExitCode);
        var (exit, report, raw) = await VerifyAsync(dir, "quiet");
        Assert.True(exit == 4, raw.ToString());
        Assert.Equal("UNVERIFIED", report.GetProperty("verdict").GetString());
        Assert.Empty(Compared(report));
        var summary = report.GetProperty("summary").GetString()!;
        Assert.StartsWith("UNVERIFIED: nothing was compared", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("bit for bit", summary, StringComparison.Ordinal);

        var text = await dir.ReproAsync("verify", "quiet");
        Assert.Equal(4, text.ExitCode);
        Assert.StartsWith("UNVERIFIED", text.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("bit for bit", text.Stdout, StringComparison.Ordinal);

        var check = await dir.ReproAsync("check", "quiet", "--json");
        var verified = JsonDocument.Parse(check.Stdout).RootElement.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == "verified");
        Assert.Equal("no", verified.GetProperty("status").GetString());
        Assert.Contains("compared nothing", verified.GetProperty("evidence").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_megabytes_of_stdout_are_compared_in_bounded_memory()
    {
        // 8 MB of log lines, each with a duration that moves between runs.
        using var dir = await ProjectAsync(("log.py", """
            import time
            t = time.perf_counter_ns()
            for i in range(200000):
                print(f"step {i:6d} loss {1.0 / (i + 1):.8f} took {(time.perf_counter_ns() - t) % 997 / 1000:.3f}ms")
            """));
        Assert.Equal(0, (await dir.ReproAsync("run", "--name", "log", "--", Python, "log.py")).ExitCode);
        var (exit, peakKb, stdout) = await PeakRssAsync(dir.Path, "verify", "log", "--json");
        Assert.True(exit == 0, stdout);
        var report = JsonDocument.Parse(stdout).RootElement;
        var printed = Stream(report, "stdout");
        Assert.True(printed.GetProperty("original_bytes").GetInt64() > 7_000_000, printed.ToString());
        Assert.Equal(200000, printed.GetProperty("original_lines").GetInt64());
        Assert.Equal("EQUIVALENT", printed.GetProperty("verdict").GetString());
        Assert.True(peakKb < 200 * 1024, string.Create(CultureInfo.InvariantCulture, $"repro verify peaked at {peakKb / 1024} MiB"));
    }

    [Fact]
    public async Task Masks_and_stdout_judging_come_from_the_workspace_config_and_a_bad_mask_is_a_usage_error()
    {
        using var dir = await ProjectAsync(("id.py", "import uuid\nprint('run id=' + uuid.uuid4().hex + ' done')\n"));
        Assert.Equal(0, (await dir.ReproAsync("run", "--name", "id", "--", Python, "id.py")).ExitCode);
        var (divergedExit, _, divergedRaw) = await VerifyAsync(dir, "id");
        Assert.True(divergedExit == 1, divergedRaw.ToString());

        File.AppendAllText(dir.Combine(".repro", "config.yaml"), "verify:\n  masks:\n    run-id: 'id=[0-9a-f]{32}'\n");
        var (exit, report, raw) = await VerifyAsync(dir, "id");
        Assert.True(exit == 0, raw.ToString());
        var stdout = Stream(report, "stdout");
        Assert.Equal("EQUIVALENT", stdout.GetProperty("verdict").GetString());
        Assert.Equal(1, stdout.GetProperty("masked").GetProperty("run-id").GetInt64());
        Assert.Contains(report.GetProperty("masks").EnumerateArray(), m => m.GetProperty("name").GetString() == "run-id" && m.GetProperty("source").GetString() == ".repro/config.yaml");

        File.WriteAllText(dir.Combine("repro.yaml"), "verify:\n  stdout: false\n");
        var (offExit, off, offRaw) = await VerifyAsync(dir, "id");
        Assert.True(offExit == 4, offRaw.ToString());
        Assert.DoesNotContain(off.GetProperty("printed").EnumerateArray(), p => p.GetProperty("stream").GetString() == "stdout");

        File.WriteAllText(dir.Combine("repro.yaml"), "verify:\n  masks:\n    broken: '([a-z'\n");
        var bad = await dir.ReproAsync("verify", "id");
        Assert.True(bad.ExitCode == 2, bad.ToString());
        Assert.Contains("mask broken is not a valid regular expression", bad.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_shows_the_printed_differences_of_two_runs()
    {
        using var dir = await ProjectAsync(("r.py", "import random\nprint('score', random.random())\n"));
        Assert.Equal(0, (await dir.ReproAsync("run", "--name", "a", "--", Python, "r.py")).ExitCode);
        Assert.Equal(0, (await dir.ReproAsync("run", "--name", "b", "--", Python, "r.py")).ExitCode);
        var json = await dir.ReproAsync("diff", "a", "b", "--json");
        Assert.Equal(0, json.ExitCode);
        var stdout = Stream(JsonDocument.Parse(json.Stdout).RootElement, "stdout");
        Assert.Equal("DIVERGED", stdout.GetProperty("verdict").GetString());
        Assert.StartsWith("score ", stdout.GetProperty("lines")[0].GetProperty("original").GetString(), StringComparison.Ordinal);

        var text = await dir.ReproAsync("diff", "a", "b");
        Assert.Contains("printed", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("stdout  DIVERGED", text.Stdout, StringComparison.Ordinal);
    }

    /// <summary>Runs repro under GNU time and returns its exit code, peak resident memory in KiB, and stdout.</summary>
    private static async Task<(int Exit, long PeakKb, string Stdout)> PeakRssAsync(string workingDirectory, params string[] args)
    {
        Assert.True(File.Exists("/usr/bin/time"), "GNU time is needed to measure peak memory");
        var info = new ProcessStartInfo("/usr/bin/time") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-f");
        info.ArgumentList.Add("peak-rss-kb %M");
        info.ArgumentList.Add(ReproProcess.Executable ?? "dotnet");
        if (ReproProcess.Executable is null)
        {
            info.ArgumentList.Add(ReproProcess.Dll);
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var last = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.StartsWith("peak-rss-kb ", StringComparison.Ordinal));
        return (process.ExitCode, long.Parse(last["peak-rss-kb ".Length..], CultureInfo.InvariantCulture), await stdout);
    }
}
