using System.Text.Json;

namespace Repro.Cli.Tests;

/// <summary>
/// The in-process Python probe with Debian's real scikit-learn, NumPy, pandas, XGBoost and
/// PyTorch: seeds without code changes, the first divergence, changed defaults, children, off.
/// </summary>
public sealed class ProbeEndToEndTests
{
    private const string Python = "/usr/bin/python3";

    private const string Mlp = """
        import json
        import numpy as np
        from sklearn.neural_network import MLPClassifier
        data = np.random.RandomState(0)
        X = data.normal(size=(200, 5))
        y = (X[:, 0] + X[:, 1] > 0).astype(int)
        model = MLPClassifier(hidden_layer_sizes=(8,), max_iter=40).fit(X, y)
        json.dump({"acc": float(model.score(X, y)), "w": float(model.coefs_[0].sum())}, open("metrics.json", "w"))
        """;

    internal static async Task<Workdir> ProjectAsync(params (string Path, string Text)[] files)
    {
        Assert.True(File.Exists(Python), "Debian's python3 with scikit-learn is needed (scripts/test installs it)");
        var dir = new Workdir();
        await ReproProcess.GitAsync(dir.Path, "init", "-q");
        dir.Write(".gitignore", "metrics.json\n*.pt\n__pycache__/\nout.ipynb\n");
        foreach (var (path, text) in files)
        {
            dir.Write(path, text);
        }

        await ReproProcess.GitAsync(dir.Path, "add", ".");
        await ReproProcess.GitAsync(dir.Path, "commit", "-qm", "baseline");
        await dir.InitAsync();
        return dir;
    }

    internal static async Task Record(Workdir dir, params string[] args)
    {
        var result = await dir.ReproAsync(["run", .. args]);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    internal static async Task<JsonElement> ProbeOf(Workdir dir, string run = "@last")
    {
        var manifest = await dir.ManifestAsync(run);
        Assert.True(manifest.TryGetProperty("probe", out var probe), manifest.ToString());
        return probe;
    }

    [Fact]
    public async Task Probe_every_below_1_is_a_usage_error_before_anything_runs_even_with_no_probe()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        foreach (var args in new[] { new[] { "run", "--probe-every", "0" }, ["run", "--no-probe", "--probe-every", "0"], ["seeds", "-n", "2", "--probe-every", "0"] })
        {
            var result = await dir.ReproAsync([.. args, "--", "touch", "ran"]);
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.StartsWith("repro: --probe-every must be 1 or more, got ", result.Stderr, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(dir.Combine("ran")));
    }

    [Fact]
    public async Task An_unseeded_MLPClassifier_verify_names_its_fit_as_the_first_divergence_with_identical_inputs()
    {
        using var dir = await ProjectAsync(("train.py", Mlp));
        await Record(dir, "--name", "mlp", "--metrics", "metrics.json", "--", Python, "-W", "ignore", "train.py");
        var probe = await ProbeOf(dir);
        Assert.Contains(probe.GetProperty("rng_starts").EnumerateArray(), s => s.GetProperty("library").GetString() == "numpy");
        var mlp = probe.GetProperty("estimators").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "MLPClassifier");
        Assert.Equal("40", mlp.GetProperty("params").GetProperty("max_iter").GetString());
        Assert.Contains("random_state", mlp.GetProperty("defaults").EnumerateArray().Select(d => d.GetString()));
        Assert.DoesNotContain("max_iter", mlp.GetProperty("defaults").EnumerateArray().Select(d => d.GetString()));

        var (exit, report, raw) = await VerifyEndToEndTests.VerifyAsync(dir, "mlp");
        Assert.True(exit == 1, raw.ToString());
        var first = report.GetProperty("first_divergence");
        Assert.Equal("MLPClassifier.fit", first.GetProperty("call").GetString());
        Assert.Equal(["X", "y"], first.GetProperty("equal_inputs").EnumerateArray().Select(i => i.GetString()));
        Assert.Empty(first.GetProperty("differing_inputs").EnumerateArray());
        Assert.Contains("coefs_", first.GetProperty("differed")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("unseeded_rng", first.GetProperty("cause_kind").GetString());
        Assert.Contains("NumPy's global RNG started from a different state", first.GetProperty("cause").GetString(), StringComparison.Ordinal);

        var text = await dir.ReproAsync("verify", "mlp");
        Assert.Contains("first divergence: MLPClassifier.fit", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sandbox_executor_loads_the_probe_and_a_verify_in_the_sandbox_names_the_unseeded_fit()
    {
        using var dir = await ProjectAsync(("train.py", Mlp));
        await Record(dir, "--name", "boxed", "--executor", "sandbox", "--metrics", "metrics.json", "--", Python, "-W", "ignore", "train.py");
        var manifest = await dir.ManifestAsync("boxed");
        Assert.Equal("sandbox", manifest.GetProperty("environment").GetProperty("executor").GetProperty("name").GetString());
        var probe = manifest.GetProperty("probe");
        Assert.Contains(probe.GetProperty("estimators").EnumerateArray(), e => e.GetProperty("name").GetString() == "MLPClassifier");
        Assert.Contains(probe.GetProperty("rng_starts").EnumerateArray(), s => s.GetProperty("library").GetString() == "numpy");
        Assert.DoesNotContain(manifest.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.StartsWith("probe:", StringComparison.Ordinal));

        var (exit, report, raw) = await VerifyEndToEndTests.VerifyAsync(dir, "boxed", "--executor", "sandbox");
        Assert.True(exit == 1, raw.ToString());
        var first = report.GetProperty("first_divergence");
        Assert.Equal("MLPClassifier.fit", first.GetProperty("call").GetString());
        Assert.Equal("unseeded_rng", first.GetProperty("cause_kind").GetString());

        // --seed reaches a sandboxed Python the same way, and two sandboxed runs then agree.
        await Record(dir, "--name", "boxed-seeded", "--executor", "sandbox", "--seed", "3", "--metrics", "metrics.json", "--", Python, "-W", "ignore", "train.py");
        Assert.Contains((await ProbeOf(dir, "boxed-seeded")).GetProperty("seeded").EnumerateArray(), s => s.GetProperty("library").GetString() == "numpy" && s.GetProperty("seed").GetInt64() == 3);
        (exit, report, raw) = await VerifyEndToEndTests.VerifyAsync(dir, "boxed-seeded", "--executor", "sandbox");
        Assert.True(exit == 0, raw.ToString());
        Assert.Equal("IDENTICAL", report.GetProperty("verdict").GetString());
        Assert.Contains(report.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("traces agree", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unseeded_shuffle_in_a_pipeline_diverges_first_at_the_split_not_the_model()
    {
        const string script = """
            import json
            import numpy as np
            from sklearn.model_selection import KFold, cross_val_score
            from sklearn.pipeline import make_pipeline
            from sklearn.preprocessing import StandardScaler
            from sklearn.linear_model import LogisticRegression
            data = np.random.RandomState(1)
            X = data.normal(size=(120, 4))
            y = (X[:, 0] > 0).astype(int)
            model = make_pipeline(StandardScaler(), LogisticRegression(random_state=0))
            scores = cross_val_score(model, X, y, cv=KFold(4, shuffle=True))
            json.dump({"cv": float(scores.mean()), "fold0": float(scores[0])}, open("metrics.json", "w"))
            """;
        using var dir = await ProjectAsync(("cv.py", script));
        await Record(dir, "--name", "cv", "--metrics", "metrics.json", "--", Python, "cv.py");
        var (_, report, raw) = await VerifyEndToEndTests.VerifyAsync(dir, "cv");
        Assert.True(report.TryGetProperty("first_divergence", out var first), raw.ToString());
        Assert.Equal("KFold.split (fold 0)", first.GetProperty("call").GetString());
        Assert.Contains("X", first.GetProperty("equal_inputs").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal("unseeded_rng", first.GetProperty("cause_kind").GetString());
        Assert.Contains("random_state=None", first.GetProperty("cause").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seed_3_makes_an_unseeded_script_IDENTICAL_across_two_verifies_without_editing_it()
    {
        using var dir = await ProjectAsync(("train.py", Mlp));
        await Record(dir, "--name", "seeded", "--seed", "3", "--metrics", "metrics.json", "--", Python, "-W", "ignore", "train.py");
        var probe = await ProbeOf(dir);
        var seeded = probe.GetProperty("seeded").EnumerateArray().ToDictionary(s => s.GetProperty("library").GetString()!, s => s.GetProperty("seed").GetInt64());
        Assert.Equal(3, seeded["numpy"]);
        Assert.Equal(3, seeded["random"]);
        Assert.Empty(probe.GetProperty("rng_starts").EnumerateArray());
        for (var i = 0; i < 2; i++)
        {
            var (exit, report, raw) = await VerifyEndToEndTests.VerifyAsync(dir, "seeded");
            Assert.True(exit == 0, raw.ToString());
            Assert.Equal("IDENTICAL", report.GetProperty("verdict").GetString());
            Assert.False(report.TryGetProperty("first_divergence", out _), raw.ToString());
            Assert.Contains(report.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("traces agree", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_PyTorch_training_loop_seeded_only_through_seed_reproduces_and_records_its_switches()
    {
        const string script = """
            import json, torch
            model = torch.nn.Sequential(torch.nn.Linear(6, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
            optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
            X = torch.randn(64, 6)
            y = X[:, :1] * 2.0
            for step in range(30):
                optimizer.zero_grad()
                loss = torch.nn.functional.mse_loss(model(X), y)
                loss.backward()
                optimizer.step()
            torch.save(model.state_dict(), "model.pt")
            json.dump({"loss": float(loss)}, open("metrics.json", "w"))
            """;
        using var dir = await ProjectAsync(("loop.py", script));
        await Record(dir, "--name", "torch", "--seed", "5", "--probe-every", "10", "--out", "model.pt", "--metrics", "metrics.json", "--", Python, "loop.py");
        var probe = await ProbeOf(dir);
        Assert.Contains(probe.GetProperty("seeded").EnumerateArray(), s => s.GetProperty("library").GetString() == "torch" && s.GetProperty("seed").GetInt64() == 5);
        Assert.Equal(10, probe.GetProperty("every").GetInt32());
        var torch = probe.GetProperty("torch");
        Assert.False(torch.GetProperty("deterministic_algorithms").GetBoolean());
        Assert.True(torch.GetProperty("num_threads").GetInt32() >= 1);
        // SGD.__init__, steps 10, 20, 30, torch.save.
        Assert.Equal(5, probe.GetProperty("calls").GetInt32());

        var (exit, report, raw) = await VerifyEndToEndTests.VerifyAsync(dir, "torch");
        Assert.True(exit == 0, raw.ToString());
        Assert.Equal("IDENTICAL", report.GetProperty("verdict").GetString());

        // Another seed: the model's initial weights are the first to differ, and the seeds say why.
        await Record(dir, "--name", "other", "--seed", "6", "--probe-every", "10", "--out", "model.pt", "--metrics", "metrics.json", "--", Python, "loop.py");
        var diff = await dir.ReproAsync("diff", "torch", "other", "--json");
        var first = JsonDocument.Parse(diff.Stdout).RootElement.GetProperty("first_divergence");
        Assert.True(first.GetProperty("call").GetString() == "SGD.__init__", diff.ToString());
        Assert.Equal("seed", first.GetProperty("cause_kind").GetString());
        Assert.Contains("PyTorch's default generator got 5 in the first run, 6 in the second", first.GetProperty("cause").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_default_that_differs_between_two_versions_of_a_local_package_is_named_a_changed_default()
    {
        static string Package(string alpha) => $$"""
            import numpy as np
            from sklearn.base import BaseEstimator, RegressorMixin
            class Shrink(RegressorMixin, BaseEstimator):
                def __init__(self, alpha={{alpha}}, fit_intercept=True):
                    self.alpha = alpha
                    self.fit_intercept = fit_intercept
                def fit(self, X, y):
                    self.coef_ = np.linalg.solve(X.T @ X + self.alpha * np.eye(X.shape[1]), X.T @ y)
                    return self
                def predict(self, X):
                    return X @ self.coef_
            """;
        const string script = """
            import json
            import numpy as np
            from shrink import Shrink
            data = np.random.RandomState(2)
            X = data.normal(size=(50, 3))
            y = X @ np.array([1.0, -2.0, 0.5])
            model = Shrink().fit(X, y)
            json.dump({"c0": float(model.coef_[0])}, open("metrics.json", "w"))
            """;
        using var dir = await ProjectAsync(("fit.py", script), ("v1/shrink.py", Package("1.0")), ("v2/shrink.py", Package("2.0")));
        foreach (var version in new[] { "v1", "v2" })
        {
            var result = await ReproProcess.RunWithAsync(dir.Path, new Dictionary<string, string?> { ["PYTHONPATH"] = dir.Combine(version) }, null, "run", "--name", version, "--metrics", "metrics.json", "--", Python, "fit.py");
            Assert.True(result.ExitCode == 0, result.ToString());
        }

        var diff = await dir.ReproAsync("diff", "v1", "v2", "--json");
        Assert.True(diff.ExitCode == 0, diff.ToString());
        var json = JsonDocument.Parse(diff.Stdout).RootElement;
        var alpha = json.GetProperty("estimator_params").EnumerateArray().Single();
        Assert.Equal("Shrink", alpha.GetProperty("estimator").GetString());
        Assert.Equal("alpha", alpha.GetProperty("parameter").GetString());
        Assert.Equal("1.0", alpha.GetProperty("a").GetString());
        Assert.Equal("2.0", alpha.GetProperty("b").GetString());
        Assert.True(alpha.GetProperty("changed_default").GetBoolean());
        var first = json.GetProperty("first_divergence");
        Assert.Equal("Shrink.fit", first.GetProperty("call").GetString());
        Assert.Equal("changed_default", first.GetProperty("cause_kind").GetString());
        var text = await dir.ReproAsync("diff", "v1", "v2");
        Assert.Contains("Shrink.alpha: 1.0 → 2.0   (changed default", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spawned_multiprocessing_children_are_probed_seeded_and_tagged_by_process()
    {
        const string script = """
            import json, multiprocessing as mp
            import numpy as np
            def work(i):
                from sklearn.cluster import KMeans
                X = np.random.rand(60, 2)
                return float(KMeans(n_clusters=2, n_init=2).fit(X).inertia_)
            if __name__ == "__main__":
                with mp.get_context("spawn").Pool(2) as pool:
                    results = pool.map(work, range(2))
                json.dump({"inertia": sum(results)}, open("metrics.json", "w"))
            """;
        using var dir = await ProjectAsync(("spawn.py", script));
        await Record(dir, "--name", "spawn", "--seed", "4", "--metrics", "metrics.json", "--", Python, "spawn.py");
        var probe = await ProbeOf(dir);
        Assert.True(probe.GetProperty("processes").GetInt32() >= 2, probe.ToString());
        Assert.True(probe.GetProperty("calls").GetInt32() >= 2, probe.ToString());
        Assert.Contains(probe.GetProperty("estimators").EnumerateArray(), e => e.GetProperty("name").GetString() == "KMeans");
        var (exit, report, raw) = await VerifyEndToEndTests.VerifyAsync(dir, "spawn");
        Assert.True(exit == 0, raw.ToString());
        Assert.Equal("IDENTICAL", report.GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task A_run_with_the_probe_is_IDENTICAL_to_one_without_and_the_probe_can_be_turned_off()
    {
        const string script = """
            import json
            import numpy as np
            import pandas as pd
            from xgboost import XGBClassifier
            from sklearn.model_selection import train_test_split
            from sklearn.ensemble import RandomForestClassifier
            data = np.random.RandomState(3)
            frame = pd.DataFrame(data.normal(size=(150, 4)), columns=["a", "b", "c", "d"])
            y = (frame["a"] + frame["b"] > 0).astype(int)
            X_train, X_test, y_train, y_test = train_test_split(frame, y, random_state=0)
            forest = RandomForestClassifier(n_estimators=10, random_state=0).fit(X_train, y_train)
            booster = XGBClassifier(n_estimators=5, max_depth=2, random_state=0).fit(X_train, y_train)
            print("forest", forest.predict_proba(X_test)[:, 1].round(6).tolist())
            print("booster", booster.predict_proba(X_test)[:, 1].round(6).tolist())
            json.dump({"forest": float(forest.score(X_test, y_test)), "booster": float(booster.score(X_test, y_test))}, open("metrics.json", "w"))
            """;
        using var dir = await ProjectAsync(("both.py", script));
        await Record(dir, "--name", "off", "--no-probe", "--metrics", "metrics.json", "--", Python, "both.py");
        var manifest = await dir.ManifestAsync("off");
        Assert.False(manifest.TryGetProperty("probe", out _));

        // Recorded without the probe, re-run as recorded: without it (its seeding could change what is re-run).
        var (exit, report, raw) = await VerifyEndToEndTests.VerifyAsync(dir, "off");
        Assert.True(exit == 0, raw.ToString());
        Assert.Equal("IDENTICAL", report.GetProperty("verdict").GetString());
        var rerun = report.GetProperty("reproduction_runs")[0].GetString()!;
        Assert.False((await dir.ManifestAsync(rerun)).TryGetProperty("probe", out _));

        await Record(dir, "--name", "on", "--metrics", "metrics.json", "--", Python, "both.py");
        var probe = await ProbeOf(dir, "on");
        Assert.Contains(probe.GetProperty("estimators").EnumerateArray(), e => e.GetProperty("name").GetString() == "XGBClassifier");
        Assert.Contains(probe.GetProperty("thread_pools").EnumerateArray(), p => p.GetProperty("source").GetString() == "threadpoolctl");
        var environment = (await dir.ManifestAsync("on")).GetProperty("environment").GetProperty("variables");
        Assert.DoesNotContain(environment.EnumerateObject(), v => v.Name.StartsWith("REPRO_PROBE_", StringComparison.Ordinal));
        // Recorded with the probe, re-run without it: the same results, bit for bit.
        (exit, report, raw) = await VerifyEndToEndTests.VerifyAsync(dir, "on", "--no-probe");
        Assert.True(exit == 0, raw.ToString());
        Assert.Equal("IDENTICAL", report.GetProperty("verdict").GetString());
        Assert.Contains(report.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("without the probe", StringComparison.Ordinal));
        var diff = JsonDocument.Parse((await dir.ReproAsync("diff", "off", "on", "--json")).Stdout).RootElement;
        Assert.True(diff.GetProperty("pillars_same").GetBoolean(), diff.ToString());

        File.WriteAllText(dir.Combine(".repro", "config.yaml"), "probe: false\n");
        await Record(dir, "--name", "config-off", "--metrics", "metrics.json", "--", Python, "both.py");
        Assert.False((await dir.ManifestAsync("config-off")).TryGetProperty("probe", out _));
    }

    [Fact]
    public async Task The_fitted_state_of_an_enclosing_call_reuses_its_inner_fits_hashes_and_equals_a_fresh_hash()
    {
        // A forest's (and a Pipeline's) state is hashed once the call ends, reusing the hash each
        // inner fit recorded; the script hashes the same estimators afresh and compares.
        const string script = """
            import json, os
            import numpy as np
            from sklearn.ensemble import RandomForestClassifier
            from sklearn.pipeline import make_pipeline
            from sklearn.preprocessing import StandardScaler
            import _repro_probe
            X = np.random.RandomState(0).normal(size=(80, 3))
            y = (X[:, 0] > 0).astype(int)
            forest = RandomForestClassifier(n_estimators=4, random_state=0).fit(X, y)
            pipeline = make_pipeline(StandardScaler(), RandomForestClassifier(n_estimators=3, random_state=1)).fit(X, y)
            calls = [json.loads(line) for line in open(os.environ["REPRO_PROBE_TRACE"]) if '"t":"call"' in line]
            recorded = [c["state"]["sha256"] for c in calls if c["depth"] == 0]
            json.dump({"recorded": recorded, "fresh": [_repro_probe._state(forest)["sha256"], _repro_probe._state(pipeline)["sha256"]],
                       "inner": sum(1 for c in calls if c["depth"] > 0 and "state" in c)}, open("states.json", "w"))
            """;
        using var dir = await ProjectAsync(("states.py", script));
        dir.Write(".gitignore", "metrics.json\nstates.json\n");
        await Record(dir, "--", Python, "states.py");
        var states = JsonDocument.Parse(File.ReadAllText(dir.Combine("states.json"))).RootElement;
        Assert.Equal(states.GetProperty("fresh").ToString(), states.GetProperty("recorded").ToString());
        Assert.True(states.GetProperty("inner").GetInt32() >= 7, states.ToString());
    }

    [Fact]
    public async Task The_thread_pools_recorded_are_the_ones_threadpoolctl_reports_in_the_same_process()
    {
        // The probe asks threadpoolctl's controllers about the loaded libraries with the names it
        // knows rather than scanning every library; the script asks threadpool_info() itself.
        const string script = """
            import json, os
            import numpy as np
            import torch
            import threadpoolctl
            from sklearn.linear_model import LogisticRegression
            X = np.random.RandomState(0).normal(size=(60, 3))
            LogisticRegression().fit(X, (X[:, 0] > 0).astype(int))
            pools = [[p["user_api"], p["internal_api"], os.path.basename(p["filepath"]), p["num_threads"]] for p in threadpoolctl.threadpool_info()]
            json.dump(sorted(pools), open("pools.json", "w"))
            """;
        using var dir = await ProjectAsync(("pools.py", script));
        dir.Write(".gitignore", "metrics.json\npools.json\n");
        await Record(dir, "--", Python, "pools.py");
        var expected = JsonSerializer.Deserialize<JsonElement[][]>(File.ReadAllText(dir.Combine("pools.json")))!
            .Select(p => string.Join("|", p.Select(v => v.ToString()))).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expected);
        var recorded = (await ProbeOf(dir)).GetProperty("thread_pools").EnumerateArray()
            .Select(p => string.Join("|", p.GetProperty("api").GetString(), p.GetProperty("library").GetString(), p.GetProperty("file").GetString(), p.GetProperty("threads").ToString()))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, recorded);
        Assert.All((await ProbeOf(dir)).GetProperty("thread_pools").EnumerateArray(), p => Assert.Equal("threadpoolctl", p.GetProperty("source").GetString()));
    }

    [Fact]
    public async Task The_repro_module_a_shebang_script_python_m_and_the_interpreter_sitecustomize_all_work_under_the_probe()
    {
        const string script = """
            #!/usr/bin/python3
            import numpy as np
            import repro
            X = np.arange(12.0).reshape(3, 4)
            repro.checkpoint("after_scaling", X / 2)
            repro.log_param("lr", 0.1)
            repro.log_metric("loss", 0.5, step=1)
            repro.log_metric("loss", 0.25, step=2)
            """;
        using var dir = await ProjectAsync(("explicit.py", script), ("pkg/__init__.py", string.Empty), ("pkg/__main__.py", "import random\nprint('module ran')\n"), ("site/sitecustomize.py", "open('sitecustomize-ran', 'w').close()\n"));
        File.SetUnixFileMode(dir.Combine("explicit.py"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await Record(dir, "--name", "explicit", "--", "./explicit.py");
        var manifest = await dir.ManifestAsync("explicit");
        Assert.Equal("0.1", manifest.GetProperty("params").GetProperty("lr").GetString());
        Assert.Equal(0.25, manifest.GetProperty("metrics").GetProperty("values").GetProperty("loss").GetDouble());
        Assert.Equal(1, manifest.GetProperty("probe").GetProperty("calls").GetInt32());

        var module = await ReproProcess.RunWithAsync(dir.Path, new Dictionary<string, string?> { ["PYTHONPATH"] = dir.Combine("site") }, null, "run", "--name", "module", "--", Python, "-m", "pkg");
        Assert.True(module.ExitCode == 0, module.ToString());
        Assert.Contains("module ran", module.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(dir.Combine("sitecustomize-ran")), "the sitecustomize already on PYTHONPATH must still run after the probe's");
        Assert.Contains((await ProbeOf(dir, "module")).GetProperty("rng_starts").EnumerateArray(), s => s.GetProperty("library").GetString() == "random");
    }

    [Fact]
    public async Task The_trace_is_bounded_and_says_what_it_dropped_and_which_fingerprints_are_partial()
    {
        const string script = """
            import numpy as np
            from sklearn.preprocessing import StandardScaler
            X = np.random.RandomState(0).normal(size=(2000, 8))
            scaler = StandardScaler().fit(X)
            for _ in range(40):
                scaler.transform(X)
            """;
        using var dir = await ProjectAsync(("many.py", script));
        var environment = new Dictionary<string, string?> { ["REPRO_PROBE_MAX_EVENTS"] = "10", ["REPRO_PROBE_BUDGET"] = "4096" };
        var result = await ReproProcess.RunWithAsync(dir.Path, environment, null, "run", "--name", "many", "--", Python, "many.py");
        Assert.True(result.ExitCode == 0, result.ToString());
        var manifest = await dir.ManifestAsync("many");
        var probe = manifest.GetProperty("probe");
        Assert.True(probe.GetProperty("dropped_events").GetInt64() > 0, probe.ToString());
        Assert.True(probe.GetProperty("partial_fingerprints").GetInt32() > 0, probe.ToString());
        var warnings = manifest.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToList();
        Assert.Contains(warnings, w => w.Contains("past the trace's bounds were dropped", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("fingerprints are partial", StringComparison.Ordinal));
    }
}
