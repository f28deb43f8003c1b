using System.Text.Json;

namespace Repro.Cli.Tests;

/// <summary>--executor on run, verify and seeds, with Debian's bubblewrap and scikit-learn (scripts/setup installs both).</summary>
public sealed class ExecutorEndToEndTests
{
    private const string Python = "/usr/bin/python3";

    private const string Train = """
        import json, os, pickle
        import numpy as np
        from sklearn.linear_model import LogisticRegression
        rng = np.random.default_rng(int(os.environ.get("REPRO_SEED", "0")))
        X = rng.normal(size=(300, 4))
        y = (X[:, 0] + 0.5 * X[:, 1] + rng.normal(scale=0.5, size=300) > 0).astype(int)
        model = LogisticRegression().fit(X[:200], y[:200])
        os.makedirs("models", exist_ok=True)
        with open("models/model.pkl", "wb") as f:
            pickle.dump(model.coef_.round(8).tolist(), f)
        json.dump({"acc": float(model.score(X[200:], y[200:]))}, open("metrics.json", "w"))
        print("trained")
        """;

    private static async Task<Workdir> ProjectAsync()
    {
        Assert.True(File.Exists(Python), "Debian's python3 with scikit-learn is needed (scripts/setup installs it)");
        var dir = new Workdir();
        await ReproProcess.GitAsync(dir.Path, "init", "-q");
        dir.Write(".gitignore", "models/\nmetrics.json\n");
        dir.Write("train.py", Train);
        await ReproProcess.GitAsync(dir.Path, "add", ".");
        await ReproProcess.GitAsync(dir.Path, "commit", "-qm", "baseline");
        await dir.InitAsync();
        return dir;
    }

    [Fact]
    public async Task Verify_with_the_sandbox_executor_reproduces_a_scikit_learn_run_and_records_where_it_ran()
    {
        using var dir = await ProjectAsync();
        var recorded = await dir.ReproAsync("run", "--name", "lr", "--seed", "3", "--out", "models/model.pkl", "--metrics", "metrics.json", "--", Python, "train.py");
        Assert.True(recorded.ExitCode == 0, recorded.ToString());
        Assert.Equal("local", (await dir.ManifestAsync("lr")).GetProperty("environment").GetProperty("executor").GetProperty("name").GetString());

        var verify = await dir.ReproAsync("verify", "lr", "--executor", "sandbox", "--json");
        Assert.True(verify.ExitCode == 0, verify.ToString());
        var report = JsonDocument.Parse(verify.Stdout).RootElement;
        Assert.Equal("IDENTICAL", report.GetProperty("verdict").GetString());
        Assert.Equal("sandbox", report.GetProperty("executor").GetProperty("name").GetString());
        Assert.Equal("bubblewrap", report.GetProperty("executor").GetProperty("details").GetProperty("tool").GetString());

        var reproduction = await dir.ManifestAsync(report.GetProperty("reproduction_runs")[0].GetString()!);
        var executor = reproduction.GetProperty("environment").GetProperty("executor");
        Assert.Equal("sandbox", executor.GetProperty("name").GetString());
        Assert.Equal("own namespace, loopback only", executor.GetProperty("details").GetProperty("network").GetString());
        Assert.Equal("sandbox", reproduction.GetProperty("execution").GetProperty("executor").GetString());

        // The default is local again, whatever the last verification used.
        var local = await dir.ReproAsync("verify", "lr", "--json");
        Assert.True(local.ExitCode == 0, local.ToString());
        Assert.Equal("local", JsonDocument.Parse(local.Stdout).RootElement.GetProperty("executor").GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_sandboxed_run_cannot_write_outside_its_declared_outputs_and_is_recorded_as_failed()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        var result = await dir.ReproAsync("run", "--executor", "sandbox", "--out", "ok.txt", "--", "sh", "-c", "echo fine > ok.txt && echo sneaky > ../escape.txt && echo more > notes.txt");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Read-only file system", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("fine\n", await File.ReadAllTextAsync(dir.Combine("ok.txt")));
        Assert.False(File.Exists(dir.Combine("notes.txt")));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(dir.Path)!, "escape.txt")));
        var manifest = await dir.ManifestAsync();
        Assert.Equal("failed", manifest.GetProperty("status").GetString());
        Assert.Equal("sandbox", manifest.GetProperty("environment").GetProperty("executor").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Seeds_run_each_seed_in_the_sandbox()
    {
        using var dir = await ProjectAsync();
        var result = await dir.ReproAsync("seeds", "-n", "2", "--executor", "sandbox", "--json", "--out", "models/model.pkl", "--metrics", "metrics.json", "--", Python, "train.py");
        Assert.True(result.ExitCode == 0, result.ToString());
        var study = JsonDocument.Parse(result.Stdout).RootElement;
        var children = study.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("run_id").GetString()!).ToList();
        Assert.Equal(2, children.Count);
        foreach (var child in children)
        {
            Assert.Equal("sandbox", (await dir.ManifestAsync(child)).GetProperty("environment").GetProperty("executor").GetProperty("name").GetString());
        }
    }

    [Fact]
    public async Task Without_bwrap_the_sandbox_executor_exits_3_saying_how_to_install_it()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        var result = await ReproProcess.RunWithAsync(dir.Path, new Dictionary<string, string?> { ["PATH"] = dir.Path }, null, "run", "--executor", "sandbox", "--", "/bin/true");
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("apt-get install bubblewrap", result.Stderr, StringComparison.Ordinal);
        var runs = await dir.ReproAsync("runs", "--json");
        Assert.Equal(0, JsonDocument.Parse(runs.Stdout).RootElement.GetArrayLength());
    }

    [Theory]
    [InlineData("--image needs --executor container", 2, "run", "--image", "alpine", "--", "true")]
    [InlineData("--partition needs --executor slurm", 2, "run", "--executor", "sandbox", "--partition", "debug", "--", "true")]
    [InlineData("--retries needs --executor slurm", 2, "verify", "@last", "--retries", "2")]
    [InlineData("image repro-no-such-image:0 is not present locally", 3, "run", "--executor", "container", "--image", "repro-no-such-image:0", "--", "true")]
    [InlineData("on Slurm the seeds run side by side in this folder, one array task each, and would overwrite metrics.json", 2, "seeds", "-n", "2", "--executor", "slurm", "--metrics", "metrics.json", "--", "true")]
    public async Task Executor_options_that_do_not_fit_are_refused_before_anything_runs(string message, int exit, params string[] args)
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        var result = await dir.ReproAsync(args);
        Assert.True(result.ExitCode == exit, result.ToString());
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
    }
}
