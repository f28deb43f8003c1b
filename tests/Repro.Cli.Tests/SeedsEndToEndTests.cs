using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Repro.Cli.Tests;

/// <summary>
/// Seed studies and their comparison with real scikit-learn training, and the statistics
/// checked against SciPy on the very values each study recorded.
/// </summary>
public sealed class SeedsEndToEndTests
{
    private const string Python = "/usr/bin/python3";

    // Accuracy depends on the seed: a few shallow trees on noisy data.
    private const string Train = """
        import json, os, sys
        import numpy as np
        from sklearn.ensemble import RandomForestClassifier
        seed = int(os.environ["REPRO_SEED"])
        trees = int(sys.argv[1]) if len(sys.argv) > 1 else 3
        data = np.loadtxt("data.csv", delimiter=",", skiprows=1)
        X, y = data[:, :-1], data[:, -1].astype(int)
        model = RandomForestClassifier(n_estimators=trees, max_depth=3, random_state=seed).fit(X[:120], y[:120])
        acc = float(model.score(X[120:], y[120:]))
        json.dump({"acc": acc, "loss": 1 - acc}, open(sys.argv[2] if len(sys.argv) > 2 else "metrics.json", "w"))
        """;

    // A cheap metric with seeded noise around a chosen level; exits 1 for the seed named in FAIL_SEED.
    private const string Noisy = """
        import json, os, random, sys
        seed = int(os.environ["REPRO_SEED"])
        if os.environ.get("FAIL_SEED") == str(seed):
            sys.exit(1)
        random.seed(seed)
        json.dump({"acc": float(sys.argv[1]) + random.gauss(0, 0.01)}, open("metrics.json", "w"))
        """;

    private static async Task<Workdir> ProjectAsync()
    {
        Assert.True(File.Exists(Python), "Debian's python3 with scikit-learn is needed (scripts/test installs it)");
        var dir = new Workdir();
        await ReproProcess.GitAsync(dir.Path, "init", "-q");
        dir.Write(".gitignore", "metrics*.json\n");
        dir.Write("train.py", Train);
        dir.Write("noisy.py", Noisy);
        var rows = new System.Text.StringBuilder("a,b,c,label\n");
        var random = new Random(11);
        for (var i = 0; i < 200; i++)
        {
            var a = random.NextDouble();
            var b = random.NextDouble();
            var c = random.NextDouble();
            rows.Append(CultureInfo.InvariantCulture, $"{a:F4},{b:F4},{c:F4},{((a + b + (0.8 * random.NextDouble())) > 1.4 ? 1 : 0)}\n");
        }

        dir.Write("data.csv", rows.ToString());
        await ReproProcess.GitAsync(dir.Path, "add", ".");
        await ReproProcess.GitAsync(dir.Path, "commit", "-qm", "baseline");
        await dir.InitAsync();
        return dir;
    }

    private static async Task<(int Exit, JsonElement Json, ReproProcess.Result Raw)> JsonAsync(Workdir dir, params string[] args)
    {
        // --json belongs to repro, so it goes before the "--" that starts the user's command.
        var split = Array.IndexOf(args, "--");
        var result = await dir.ReproAsync(split < 0 ? [.. args, "--json"] : [.. args[..split], "--json", .. args[split..]]);
        Assert.True(result.Stdout.TrimStart().StartsWith('{'), result.ToString());
        return (result.ExitCode, JsonDocument.Parse(result.Stdout).RootElement.Clone(), result);
    }

    private static List<double> ChildValues(JsonElement study, string key) =>
        study.GetProperty("children").EnumerateArray()
            .Where(c => c.GetProperty("status").GetString() == "ok")
            .Select(c => c.GetProperty("metrics").GetProperty(key).GetDouble()).ToList();

    /// <summary>Runs a SciPy snippet on /usr/bin/python3 and returns the numbers it prints, one per line.</summary>
    private static async Task<double[]> SciPyAsync(string code)
    {
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(code);
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, error);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToArray();
    }

    private static string PyList(IEnumerable<double> values) => "[" + string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]";

    [Fact]
    public async Task Seeds_of_a_recorded_scikit_learn_run_report_the_spread_that_SciPy_computes()
    {
        using var dir = await ProjectAsync();
        var record = await dir.ReproAsync("run", "--name", "rf", "--seed", "1", "--dep", "data.csv", "--metrics", "metrics.json", "--", Python, "train.py");
        Assert.True(record.ExitCode == 0, record.ToString());

        var (exit, study, raw) = await JsonAsync(dir, "seeds", "rf", "-n", "5");
        Assert.True(exit == 0, raw.ToString());
        Assert.Equal("rf", study.GetProperty("name").GetString());
        Assert.Equal("scratch", study.GetProperty("mode").GetString());
        Assert.Equal([1L, 2, 3, 4, 5], study.GetProperty("seeds").EnumerateArray().Select(s => s.GetInt64()));
        Assert.Equal(5, study.GetProperty("children").GetArrayLength());

        var values = ChildValues(study, "acc");
        var acc = study.GetProperty("statistics").GetProperty("acc");
        Assert.Equal(5, acc.GetProperty("n").GetInt32());
        var expected = await SciPyAsync($$"""
            import numpy as np
            from scipy import stats
            a = np.array({{PyList(values)}})
            m, s = a.mean(), a.std(ddof=1)
            lo, hi = stats.t.interval(0.95, len(a) - 1, loc=m, scale=stats.sem(a)) if s > 0 else (m, m)
            for v in (m, s, stats.sem(a), lo, hi, np.median(a), a.min(), a.max()):
                print(repr(float(v)))
            """);
        Assert.Equal(expected[0], acc.GetProperty("mean").GetDouble(), 1e-12);
        Assert.Equal(expected[1], acc.GetProperty("std_dev").GetDouble(), 1e-12);
        Assert.Equal(expected[2], acc.GetProperty("std_error").GetDouble(), 1e-12);
        Assert.Equal(expected[3], acc.GetProperty("t_interval").GetProperty("low").GetDouble(), 1e-9);
        Assert.Equal(expected[4], acc.GetProperty("t_interval").GetProperty("high").GetDouble(), 1e-9);
        Assert.Equal(expected[5], acc.GetProperty("median").GetDouble(), 1e-12);
        Assert.Equal(expected[6], acc.GetProperty("min").GetDouble());
        Assert.Equal(expected[7], acc.GetProperty("max").GetDouble());
        var bootstrap = acc.GetProperty("bootstrap_interval");
        Assert.InRange(bootstrap.GetProperty("low").GetDouble(), expected[6], expected[0]);
        Assert.InRange(bootstrap.GetProperty("high").GetDouble(), expected[0], expected[7]);

        // Every child is a recorded run of the study, with its own seed, verifiable like any run.
        var studyId = study.GetProperty("study").GetString()!;
        foreach (var child in study.GetProperty("children").EnumerateArray())
        {
            var manifest = await dir.ManifestAsync(child.GetProperty("run_id").GetString()!);
            Assert.Equal(studyId, manifest.GetProperty("parent_id").GetString());
            Assert.Equal(child.GetProperty("seed").GetInt64(), manifest.GetProperty("seed").GetInt64());
        }

        // The same study again, readable and as JSON, and marked in the run list.
        var (_, again, _) = await JsonAsync(dir, "study", "rf");
        Assert.Equal(acc.GetProperty("mean").GetDouble(), again.GetProperty("statistics").GetProperty("acc").GetProperty("mean").GetDouble());
        var shown = await dir.ReproAsync("study", studyId[..8]);
        Assert.Contains("MEAN ± STD", shown.Stdout, StringComparison.Ordinal);
        Assert.Contains("95% CI (t)", shown.Stdout, StringComparison.Ordinal);
        var runs = await dir.ReproAsync("runs");
        Assert.Contains("rf [study]", runs.Stdout, StringComparison.Ordinal);
        Assert.Equal(5, runs.Stdout.Split('\n').Count(l => l.Contains("↳ seed", StringComparison.Ordinal)));
        var show = await dir.ReproAsync("show", studyId);
        Assert.Contains("study: 5 seeds", show.Stdout, StringComparison.Ordinal);

        // The study carries the run's name, yet the name still means the run for show and verify.
        Assert.Equal("run", (await dir.ManifestAsync("rf")).GetProperty("kind").GetString());
        var verifyStudy = await dir.ReproAsync("verify", studyId);
        Assert.Equal(2, verifyStudy.ExitCode);
        Assert.Contains("is a seed study", verifyStudy.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("verify-", await ReproProcess.GitAsync(dir.Path, "worktree", "list"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_of_two_configurations_matches_Welch_and_Mann_Whitney_from_SciPy()
    {
        using var dir = await ProjectAsync();
        var a = await dir.ReproAsync("seeds", "-n", "6", "--name", "base", "--metrics", "metrics.json", "--", Python, "noisy.py", "0.80");
        Assert.True(a.ExitCode == 0, a.ToString());
        var b = await dir.ReproAsync("seeds", "--seeds", "11,12,13,14,15,16", "--name", "tuned", "--metrics", "metrics.json", "--", Python, "noisy.py", "0.83");
        Assert.True(b.ExitCode == 0, b.ToString());

        var (exit, comparison, raw) = await JsonAsync(dir, "compare", "base", "tuned", "--metric", "acc");
        Assert.True(exit == 0, raw.ToString());
        var (_, studyA, _) = await JsonAsync(dir, "study", "base");
        var (_, studyB, _) = await JsonAsync(dir, "study", "tuned");
        var expected = await SciPyAsync($$"""
            import numpy as np
            from scipy import stats
            a = np.array({{PyList(ChildValues(studyA, "acc"))}}); b = np.array({{PyList(ChildValues(studyB, "acc"))}})
            t = stats.ttest_ind(b, a, equal_var=False)
            u = stats.mannwhitneyu(b, a, method="exact")
            print(repr(float(t.statistic))); print(repr(float(t.pvalue))); print(repr(float(u.statistic))); print(repr(float(u.pvalue)))
            """);
        var metric = comparison.GetProperty("metrics")[0];
        var test = metric.GetProperty("test");
        Assert.Equal(expected[0], test.GetProperty("welch_t").GetDouble(), 1e-9);
        Assert.Equal(expected[1], test.GetProperty("welch_p").GetDouble(), 1e-9);
        Assert.Equal(expected[2], test.GetProperty("mann_whitney_u").GetDouble(), 1e-9);
        Assert.Equal(expected[3], test.GetProperty("mann_whitney_p").GetDouble(), 1e-9);
        Assert.Equal("exact", test.GetProperty("mann_whitney_method").GetString());
        Assert.Equal("b_better", metric.GetProperty("outcome").GetString());
        Assert.StartsWith("B is better than A", metric.GetProperty("conclusion").GetString(), StringComparison.Ordinal);

        // Against itself shifted by nothing, there is no evidence of a difference, and the text says how many seeds it would take.
        var c = await dir.ReproAsync("seeds", "--seeds", "21,22,23,24,25,26", "--name", "same", "--metrics", "metrics.json", "--", Python, "noisy.py", "0.80");
        Assert.True(c.ExitCode == 0, c.ToString());
        var readable = await dir.ReproAsync("compare", "base", "same");
        Assert.True(readable.ExitCode == 0, readable.ToString());
        Assert.Contains("Welch t-test", readable.Stdout, StringComparison.Ordinal);
        var (_, none, _) = await JsonAsync(dir, "compare", "base", "same");
        var verdict = none.GetProperty("metrics")[0];
        if (verdict.GetProperty("test").GetProperty("welch_p").GetDouble() >= 0.05)
        {
            Assert.Equal("no_evidence", verdict.GetProperty("outcome").GetString());
            Assert.Contains("no evidence that B differs from A", verdict.GetProperty("conclusion").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_claim_above_every_seed_is_flagged_as_a_likely_cherry_pick()
    {
        using var dir = await ProjectAsync();
        var (exit, study, raw) = await JsonAsync(dir, "seeds", "-n", "5", "--metrics", "metrics.json", "--claim", "acc=0.95", "--", Python, "noisy.py", "0.80");
        Assert.True(exit == 1, raw.ToString());
        var claim = study.GetProperty("claims")[0];
        Assert.Equal("acc", claim.GetProperty("key").GetString());
        var placement = claim.GetProperty("placement");
        Assert.True(placement.GetProperty("likely_cherry_pick").GetBoolean());
        Assert.Equal(5, placement.GetProperty("worse").GetInt32());
        Assert.Contains("cherry-pick", placement.GetProperty("message").GetString(), StringComparison.Ordinal);

        var mean = study.GetProperty("statistics").GetProperty("acc").GetProperty("mean").GetDouble().ToString("R", CultureInfo.InvariantCulture);
        var (fair, fairStudy, fairRaw) = await JsonAsync(dir, "seeds", "-n", "5", "--metrics", "metrics.json", "--claim", $"acc={mean}", "--", Python, "noisy.py", "0.80");
        Assert.True(fair == 0, fairRaw.ToString());
        Assert.False(fairStudy.GetProperty("claims")[0].GetProperty("placement").GetProperty("likely_cherry_pick").GetBoolean());
    }

    [Fact]
    public async Task A_failed_seed_is_reported_and_left_out_of_the_statistics()
    {
        using var dir = await ProjectAsync();
        var result = await ReproProcess.RunWithAsync(dir.Path, new Dictionary<string, string?> { ["FAIL_SEED"] = "3" }, null, "seeds", "-n", "5", "--metrics", "metrics.json", "--json", "--", Python, "noisy.py", "0.8");
        Assert.True(result.ExitCode == 1, result.ToString());
        var study = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal(4, study.GetProperty("statistics").GetProperty("acc").GetProperty("n").GetInt32());
        var failed = study.GetProperty("children").EnumerateArray().Single(c => c.GetProperty("status").GetString() == "failed");
        Assert.Equal(3, failed.GetProperty("seed").GetInt64());
        Assert.Contains(study.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("seed 3", StringComparison.Ordinal) && w.GetString()!.Contains("left out", StringComparison.Ordinal));
        Assert.Contains("left out of the statistics", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parallel_seeds_in_one_folder_need_seed_in_every_output_path()
    {
        using var dir = await ProjectAsync();
        var shared = await dir.ReproAsync("seeds", "-n", "2", "-j", "2", "--metrics", "metrics.json", "--", Python, "train.py", "3");
        Assert.Equal(2, shared.ExitCode);
        Assert.Contains("{seed}", shared.Stderr, StringComparison.Ordinal);

        var (exit, study, raw) = await JsonAsync(dir, "seeds", "-n", "4", "-j", "2", "--metrics", "metrics-{seed}.json", "--", Python, "train.py", "3", "metrics-{seed}.json");
        Assert.True(exit == 0, raw.ToString());
        Assert.Equal(4, study.GetProperty("statistics").GetProperty("acc").GetProperty("n").GetInt32());
        Assert.Equal(2, study.GetProperty("parallelism").GetInt32());
        Assert.True(File.Exists(dir.Combine("metrics-4.json")));
        foreach (var child in study.GetProperty("children").EnumerateArray())
        {
            var manifest = await dir.ManifestAsync(child.GetProperty("run_id").GetString()!);
            var source = manifest.GetProperty("metrics").GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("path").GetString()).ToList();
            Assert.Contains($"metrics-{child.GetProperty("seed").GetInt64()}.json", source);
        }
    }

    [Fact]
    public async Task Verify_takes_metric_tolerances_from_a_study_spread()
    {
        using var dir = await ProjectAsync();
        dir.Write("jitter.py", """
            import json, random
            json.dump({"acc": 0.9 + random.gauss(0, 0.01)}, open("metrics.json", "w"))
            """);

        // Without the probe: with it, --seed would seed the script's random module and every re-run would repeat its value.
        Assert.Equal(0, (await dir.ReproAsync("run", "--name", "jitter", "--seed", "1", "--no-probe", "--metrics", "metrics.json", "--", Python, "jitter.py")).ExitCode);
        var (studyExit, study, studyRaw) = await JsonAsync(dir, "seeds", "jitter", "-n", "5", "--name", "spread", "--no-probe");
        Assert.True(studyExit == 0, studyRaw.ToString());
        var sigma = study.GetProperty("statistics").GetProperty("acc").GetProperty("std_dev").GetDouble();
        Assert.True(sigma > 0, studyRaw.ToString());

        var (exit, report, raw) = await JsonAsync(dir, "verify", "jitter", "--tolerance-from", "spread", "--k", "100", "--no-probe");
        Assert.True(exit == 0, raw.ToString());
        Assert.Equal("EQUIVALENT", report.GetProperty("verdict").GetString());
        var metric = report.GetProperty("metrics")[0];
        Assert.Equal(100 * sigma, metric.GetProperty("atol").GetDouble(), 1e-12);
        Assert.Contains("study", report.GetProperty("tolerance_source").GetString(), StringComparison.Ordinal);

        var (strict, _, strictRaw) = await JsonAsync(dir, "verify", "jitter", "--no-probe");
        Assert.True(strict == 1, strictRaw.ToString());
    }

    [Fact]
    public async Task Ctrl_C_stops_a_study_and_keeps_the_seeds_that_ran()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        using var process = ReproProcess.Start(dir.Path, ["seeds", "-n", "20", "--name", "long", "--", "sh", "-c", "echo seed-$REPRO_SEED; sleep 0.5"]);
        var stderr = process.StandardError;
        string? line;
        while ((line = await stderr.ReadLineAsync()) is not null && !line.Contains("seed 2 (2 of 20)", StringComparison.Ordinal))
        {
        }

        Assert.NotNull(line);
        Assert.Equal(0, Kill(process.Id, 2));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(130, process.ExitCode);

        var (_, study, raw) = await JsonAsync(dir, "study", "long");
        var children = study.GetProperty("children").GetArrayLength();
        Assert.InRange(children, 2, 4);
        Assert.Contains(study.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.StartsWith("interrupted", StringComparison.Ordinal));
        Assert.True(children < 20, raw.ToString());
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    [Theory]
    [InlineData("seeds")]
    [InlineData("seeds", "-n", "0", "--", "true")]
    [InlineData("seeds", "--seeds", "1,1", "--", "true")]
    [InlineData("seeds", "-n", "3", "--seeds", "1,2", "--", "true")]
    [InlineData("seeds", "-n", "2", "--claim", "acc=high", "--", "true")]
    [InlineData("seeds", "-n", "3", "--dep", "missing.csv", "--", "true")]
    [InlineData("seeds", "-n", "2", "-j", "2", "--out", "model.pkl", "--", "true")]
    [InlineData("compare", "nosuch", "other")]
    [InlineData("compare", "a", "b", "--higher-is-better", "--lower-is-better")]
    [InlineData("seeds", "-n", "2", "--higher-is-better", "--lower-is-better", "--", "true")]
    [InlineData("verify", "somerun", "--k", "3")]
    public async Task Bad_study_input_is_a_usage_error(params string[] args)
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        var result = await dir.ReproAsync(args);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Compare_refuses_a_run_that_is_not_a_study()
    {
        using var dir = await ProjectAsync();
        Assert.Equal(0, (await dir.ReproAsync("run", "--name", "one", "--seed", "1", "--metrics", "metrics.json", "--", Python, "noisy.py", "0.8")).ExitCode);
        Assert.Equal(0, (await dir.ReproAsync("seeds", "-n", "2", "--name", "two", "--metrics", "metrics.json", "--", Python, "noisy.py", "0.8")).ExitCode);
        var result = await dir.ReproAsync("compare", "one", "two");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not a study", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("repro seeds one", result.Stderr, StringComparison.Ordinal);

        var newCommand = await dir.ReproAsync("seeds", "one", "-n", "2", "--dep", "noisy.py");
        Assert.Equal(2, newCommand.ExitCode);
        Assert.Contains("describe a new command", newCommand.Stderr, StringComparison.Ordinal);
        var ofStudy = await dir.ReproAsync("seeds", "two", "-n", "2");
        Assert.Equal(2, ofStudy.ExitCode);
        Assert.Contains("is itself a study", ofStudy.Stderr, StringComparison.Ordinal);
    }
}
