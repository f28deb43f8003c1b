using System.Text.Json;
using System.Xml.Linq;

namespace Repro.Cli.Tests;

/// <summary>The real cases of the verify issue, with Debian's Python, NumPy and scikit-learn.</summary>
public sealed class VerifyEndToEndTests
{
    private const string Python = "/usr/bin/python3";

    private const string Train = """
        import json, os, sys
        import numpy as np
        from sklearn.ensemble import RandomForestClassifier
        data = np.loadtxt("data.csv", delimiter=",", skiprows=1)
        X, y = data[:, :-1], data[:, -1].astype(int)
        seeded = "--unseeded" not in sys.argv
        seed = int(os.environ.get("REPRO_SEED", "0"))
        model = RandomForestClassifier(n_estimators=15, random_state=seed if seeded else None).fit(X[:150], y[:150])
        proba = model.predict_proba(X[150:])[:, 1]
        with open("preds.csv", "w") as f:
            f.write("id,proba,pred\n")
            for i, (p, c) in enumerate(zip(proba, model.predict(X[150:]))):
                f.write(f"{i},{p:.6f},{c}\n")
        json.dump({"acc": float(model.score(X[150:], y[150:]))}, open("metrics.json", "w"))
        print("trained")
        """;

    private static async Task<Workdir> ProjectAsync()
    {
        Assert.True(File.Exists(Python), "Debian's python3 with scikit-learn is needed (scripts/test installs it)");
        var dir = new Workdir();
        await ReproProcess.GitAsync(dir.Path, "init", "-q");
        dir.Write(".gitignore", "preds.csv\nmetrics.json\n");
        dir.Write("train.py", Train);
        var rows = new System.Text.StringBuilder("a,b,c,label\n");
        var random = new Random(5);
        for (var i = 0; i < 200; i++)
        {
            var a = random.NextDouble();
            var b = random.NextDouble();
            var c = random.NextDouble();
            rows.Append(System.Globalization.CultureInfo.InvariantCulture, $"{a:F4},{b:F4},{c:F4},{((a + b + (0.3 * random.NextDouble())) > 1.1 ? 1 : 0)}\n");
        }

        dir.Write("data.csv", rows.ToString());
        await ReproProcess.GitAsync(dir.Path, "add", ".");
        await ReproProcess.GitAsync(dir.Path, "commit", "-qm", "baseline");
        await dir.InitAsync();
        return dir;
    }

    /// <summary>Runs <c>repro verify ARGS --json</c> and parses its report.</summary>
    internal static async Task<(int Exit, JsonElement Report, ReproProcess.Result Raw)> VerifyAsync(Workdir dir, params string[] args)
    {
        var result = await dir.ReproAsync(["verify", .. args, "--json"]);
        Assert.True(result.Stdout.TrimStart().StartsWith('{'), result.ToString());
        return (result.ExitCode, JsonDocument.Parse(result.Stdout).RootElement.Clone(), result);
    }

    private static Task<ReproProcess.Result> RecordAsync(Workdir dir, string name, params string[] extra) =>
        dir.ReproAsync(["run", "--name", name, "--dep", "data.csv", "--out", "preds.csv", "--metrics", "metrics.json", .. extra]);

    [Fact]
    public async Task A_seeded_scikit_learn_training_verifies_IDENTICAL_and_writes_JUnit()
    {
        using var dir = await ProjectAsync();
        Assert.Equal(0, (await RecordAsync(dir, "rf", "--seed", "7", "--", Python, "train.py")).ExitCode);
        var (exit, report, raw) = await VerifyAsync(dir, "rf", "--junit", dir.Combine("verify.xml"));
        Assert.True(exit == 0, raw.ToString());
        Assert.Equal("IDENTICAL", report.GetProperty("verdict").GetString());
        Assert.Equal("scratch", report.GetProperty("mode").GetString());
        var output = report.GetProperty("outputs")[0];
        Assert.Equal("preds.csv", output.GetProperty("path").GetString());
        Assert.Equal("IDENTICAL", output.GetProperty("verdict").GetString());
        Assert.Equal(output.GetProperty("original_sha256").GetString(), output.GetProperty("reproduced_sha256").GetString());
        Assert.Equal("IDENTICAL", report.GetProperty("metrics")[0].GetProperty("verdict").GetString());
        Assert.Equal(JsonValueKind.Null, report.GetProperty("nondeterministic_here").ValueKind);
        Assert.Single(report.GetProperty("reproduction_runs").EnumerateArray());

        var junit = XDocument.Load(dir.Combine("verify.xml"));
        Assert.Equal(4, junit.Descendants("testcase").Count());
        Assert.Contains(junit.Descendants("testcase"), c => c.Attribute("name")?.Value == "stdout");
        Assert.Empty(junit.Descendants("failure"));

        // The verification ran in a scratch checkout: no worktree or scratch folder is left behind.
        Assert.DoesNotContain("verify-", await ReproProcess.GitAsync(dir.Path, "worktree", "list"), StringComparison.Ordinal);
        var reproduction = await dir.ManifestAsync(report.GetProperty("reproduction_runs")[0].GetString()!);
        Assert.Equal("verification", reproduction.GetProperty("kind").GetString());
        Assert.Equal(report.GetProperty("run").GetString(), reproduction.GetProperty("parent_id").GetString());
    }

    [Fact]
    public async Task A_random_forest_without_random_state_diverges_and_two_runs_name_non_determinism()
    {
        using var dir = await ProjectAsync();
        Assert.Equal(0, (await RecordAsync(dir, "unseeded", "--seed", "7", "--", Python, "train.py", "--unseeded")).ExitCode);
        var (exit, report, raw) = await VerifyAsync(dir, "unseeded", "--runs", "2");
        Assert.True(exit == 1, raw.ToString());
        Assert.Equal("DIVERGED", report.GetProperty("verdict").GetString());
        Assert.True(report.GetProperty("nondeterministic_here").GetBoolean());
        Assert.Equal(2, report.GetProperty("reproduction_runs").GetArrayLength());
        var causes = report.GetProperty("causes").EnumerateArray().ToList();
        Assert.Contains(causes, c => c.GetProperty("pillar").GetString() == "nondeterminism");
        var output = report.GetProperty("outputs")[0];
        Assert.Equal("DIVERGED", output.GetProperty("verdict").GetString());
        Assert.False(string.IsNullOrEmpty(output.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Set_iteration_order_reproduces_only_because_the_seed_fixes_PYTHONHASHSEED()
    {
        using var dir = await ProjectAsync();
        dir.Write("order.py", """
            features = {"income", "age", "debt", "employment", "history", "region", "loan", "term", "rate", "score"}
            open("order.txt", "w").write(",".join(features) + "\n")
            """);
        var seeded = await dir.ReproAsync("run", "--name", "with-seed", "--seed", "3", "--out", "order.txt", "--", Python, "order.py");
        Assert.Equal(0, seeded.ExitCode);
        var (exit, report, raw) = await VerifyAsync(dir, "with-seed", "--runs", "2");
        Assert.True(exit == 0, raw.ToString());
        Assert.False(report.GetProperty("nondeterministic_here").GetBoolean());

        Assert.Equal(0, (await dir.ReproAsync("run", "--name", "no-seed", "--out", "order.txt", "--", Python, "order.py")).ExitCode);
        var (_, unseeded, raw2) = await VerifyAsync(dir, "no-seed", "--runs", "3");
        Assert.True(unseeded.GetProperty("nondeterministic_here").GetBoolean(), raw2.ToString());
        var causes = unseeded.GetProperty("causes").EnumerateArray().Select(c => c.GetProperty("pillar").GetString()).ToList();
        Assert.Contains("seed", causes);
        Assert.Contains("nondeterminism", causes);
    }

    [Fact]
    public async Task Float_noise_below_tolerance_is_EQUIVALENT_and_names_the_tolerance()
    {
        using var dir = await ProjectAsync();
        dir.Write("noisy.py", """
            import json, random
            import numpy as np
            json.dump({"loss": 0.25 + random.random() * 1e-9, "acc": 0.9}, open("metrics.json", "w"))
            weights = np.linspace(0.5, 1.5, 1000) * (1 + np.random.random(1000) * 1e-9)
            np.save("weights.npy", weights)
            """);
        Assert.Equal(0, (await dir.ReproAsync("run", "--name", "noisy", "--metrics", "metrics.json", "--out", "weights.npy", "--", Python, "noisy.py")).ExitCode);
        var (exit, report, raw) = await VerifyAsync(dir, "noisy");
        Assert.True(exit == 0, raw.ToString());
        Assert.Equal("EQUIVALENT", report.GetProperty("verdict").GetString());
        var loss = report.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("key").GetString() == "loss");
        Assert.Equal("EQUIVALENT", loss.GetProperty("verdict").GetString());
        Assert.Equal("rtol=1E-05, atol=1E-08", loss.GetProperty("tolerance").GetString());
        Assert.Equal(1e-5, loss.GetProperty("rtol").GetDouble());
        Assert.Equal(1e-8, loss.GetProperty("atol").GetDouble());
        Assert.NotEqual(0, loss.GetProperty("delta").GetDouble());
        var weights = report.GetProperty("outputs")[0];
        Assert.Equal("EQUIVALENT", weights.GetProperty("verdict").GetString());
        Assert.Equal("npy", weights.GetProperty("comparer").GetString());
        Assert.Equal("rtol=1E-05, atol=1E-08", weights.GetProperty("tolerance").GetString());
        Assert.InRange(weights.GetProperty("max_abs_error").GetDouble(), 1e-15, 1e-8);

        // A tolerance of zero for that metric turns the same noise into DIVERGED.
        var (strictExit, strict, _) = await VerifyAsync(dir, "noisy", "--metric-tol", "loss=0");
        Assert.Equal(1, strictExit);
        Assert.Equal("DIVERGED", strict.GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task An_input_edited_after_the_run_is_named_in_place_and_the_default_mode_still_reproduces_from_the_cache()
    {
        using var dir = await ProjectAsync();
        Assert.Equal(0, (await RecordAsync(dir, "rf", "--seed", "1", "--", Python, "train.py")).ExitCode);
        var lines = File.ReadAllLines(dir.Combine("data.csv"));
        lines[5] = "0.9999,0.9999,0.9999,0";
        lines[160] = "0.0001,0.0001,0.0001,1";
        File.WriteAllLines(dir.Combine("data.csv"), lines);

        var (exit, report, raw) = await VerifyAsync(dir, "rf");
        Assert.True(exit == 0, raw.ToString());
        Assert.Equal("IDENTICAL", report.GetProperty("verdict").GetString());

        var (_, inPlace, raw2) = await VerifyAsync(dir, "rf", "--in-place");
        Assert.Equal("in-place", inPlace.GetProperty("mode").GetString());
        var input = inPlace.GetProperty("inputs")[0];
        Assert.Equal("data.csv", input.GetProperty("path").GetString());
        Assert.Equal("DIVERGED", input.GetProperty("verdict").GetString());
        var first = inPlace.GetProperty("causes")[0];
        Assert.True(first.GetProperty("pillar").GetString() == "data", raw2.ToString());
        Assert.Contains("data.csv", first.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_uncommitted_edit_is_reproduced_from_the_recorded_diff_and_diff_names_a_later_edit()
    {
        using var dir = await ProjectAsync();
        dir.Write("train.py", Train.Replace("n_estimators=15", "n_estimators=25", StringComparison.Ordinal));
        Assert.Equal(0, (await RecordAsync(dir, "edited", "--seed", "2", "--", Python, "train.py")).ExitCode);

        // Edited again after the run: the scratch checkout uses the recorded code, not this.
        dir.Write("train.py", Train.Replace("n_estimators=15", "n_estimators=3", StringComparison.Ordinal));
        var (exit, report, raw) = await VerifyAsync(dir, "edited");
        Assert.True(exit == 0, raw.ToString());
        Assert.Equal("IDENTICAL", report.GetProperty("verdict").GetString());

        Assert.Equal(0, (await RecordAsync(dir, "later", "--seed", "2", "--", Python, "train.py")).ExitCode);
        var diff = await dir.ReproAsync("diff", "edited", "later", "--json");
        Assert.True(diff.ExitCode == 0, diff.ToString());
        var d = JsonDocument.Parse(diff.Stdout).RootElement;
        Assert.False(d.GetProperty("code").GetProperty("same").GetBoolean());
        Assert.Contains("train.py", d.GetProperty("code").GetProperty("changed_files").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("code", d.GetProperty("causes")[0].GetProperty("pillar").GetString());
        var text = await dir.ReproAsync("diff", "edited", "later");
        Assert.Contains("changed     train.py", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_cache_blob_is_FAILED_with_exit_3_naming_the_path_and_hash()
    {
        using var dir = await ProjectAsync();
        Assert.Equal(0, (await RecordAsync(dir, "rf", "--seed", "1", "--", Python, "train.py")).ExitCode);
        var dep = (await dir.ManifestAsync("rf")).GetProperty("deps")[0].GetProperty("sha256").GetString()!;
        File.Delete(dir.Combine(".repro", "cache", "sha256", dep[..2], dep[2..]));
        var (exit, report, _) = await VerifyAsync(dir, "rf");
        Assert.Equal(3, exit);
        Assert.Equal("FAILED", report.GetProperty("verdict").GetString());
        var detail = report.GetProperty("execution").GetProperty("detail").GetString()!;
        Assert.Contains("data.csv", detail, StringComparison.Ordinal);
        Assert.Contains(dep, detail, StringComparison.Ordinal);
        var text = await dir.ReproAsync("verify", "rf");
        Assert.Equal(3, text.ExitCode);
        Assert.StartsWith("FAILED", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_re_run_that_exits_differently_is_FAILED()
    {
        using var dir = new Workdir(native: true);
        await dir.InitAsync();
        Assert.Equal(0, (await dir.ReproAsync("run", "--name", "flaky", "--", "sh", "-c", "test ! -f .repro/marker && touch .repro/marker")).ExitCode);
        var (exit, report, _) = await VerifyAsync(dir, "flaky", "--in-place");
        Assert.Equal(3, exit);
        Assert.Equal("FAILED", report.GetProperty("execution").GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task Outside_git_folder_inputs_and_outputs_are_restored_and_compared_file_by_file()
    {
        using var dir = new Workdir(native: true);
        await dir.InitAsync();
        dir.Write("make.sh", "mkdir -p out && cat data/*.csv > out/all.csv && cp data/a.csv out/a.csv && date +%N > out/stamp.txt\n");
        dir.Write("data/a.csv", "x\n1\n");
        dir.Write("data/b.csv", "x\n2\n");
        Assert.Equal(0, (await dir.ReproAsync("run", "--name", "folders", "--dep", "data", "--out", "out", "--", "sh", "make.sh")).ExitCode);

        // Edit the script and the data afterwards: the scratch copy uses the recorded ones.
        dir.Write("make.sh", "exit 1\n");
        dir.Write("data/a.csv", "x\n999\n");
        var (exit, report, raw) = await VerifyAsync(dir, "folders");
        Assert.True(exit == 1, raw.ToString());
        var output = report.GetProperty("outputs")[0];
        Assert.Equal("out", output.GetProperty("path").GetString());
        Assert.Equal("dir", output.GetProperty("comparer").GetString());
        Assert.Equal("DIVERGED", output.GetProperty("verdict").GetString());
        var detail = output.GetProperty("detail").GetString()!;
        Assert.Contains("stamp.txt", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("all.csv", detail, StringComparison.Ordinal);
        Assert.Equal("IDENTICAL", report.GetProperty("execution").GetProperty("verdict").GetString());
    }

    [Theory]
    [InlineData("--runs", "0")]
    [InlineData("--metric-tol", "acc")]
    [InlineData("--metric-tol", "acc=-1")]
    [InlineData("--rtol", "-0.5")]
    [InlineData("--min-agreement", "2")]
    public async Task Bad_verify_options_are_usage_errors(string option, string value)
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        Assert.Equal(0, (await dir.ReproAsync("run", "--", "true")).ExitCode);
        var result = await dir.ReproAsync("verify", "@last", option, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task Tolerances_come_from_repro_yaml_and_flags_override_them()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        dir.Write("repro.yaml", "verify:\n  rtol: 0.5\n  metrics:\n    acc: 0.25\n");
        dir.Write("m.sh", "echo \"{\\\"acc\\\": $(date +%N | cut -c1).0}\" > m.json");
        Assert.Equal(0, (await dir.ReproAsync("run", "--name", "cfg", "--metrics", "m.json", "--", "sh", "-c", "echo '{\"acc\": 1.0, \"loss\": 2.0}' > m.json")).ExitCode);
        var (_, report, _) = await VerifyAsync(dir, "cfg");
        Assert.Equal("defaults < repro.yaml", report.GetProperty("tolerance_source").GetString());
        Assert.Equal("rtol=0.5, atol=1E-08", report.GetProperty("tolerance").GetString());
        var acc = report.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("key").GetString() == "acc");
        Assert.Equal("rtol=0, atol=0.25", acc.GetProperty("tolerance").GetString());
        var (_, flagged, _) = await VerifyAsync(dir, "cfg", "--rtol", "0.1");
        Assert.Equal("rtol=0.1, atol=1E-08", flagged.GetProperty("tolerance").GetString());
        Assert.Equal("defaults < repro.yaml < flags", flagged.GetProperty("tolerance_source").GetString());
    }
}
