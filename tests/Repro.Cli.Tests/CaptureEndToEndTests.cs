using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;

namespace Repro.Cli.Tests;

public sealed class CaptureEndToEndTests
{
    private const string SystemPython = "/usr/bin/python3";

    [Fact]
    public async Task Untracked_files_past_the_capture_budget_are_listed_by_size_and_warned_about_once_not_stored()
    {
        using var dir = new Workdir();
        await ReproProcess.GitAsync(dir.Path, "init", "-q", "-b", "main");
        dir.Write("train.py", "print('v1')\n");
        await ReproProcess.GitAsync(dir.Path, "add", "train.py");
        await ReproProcess.GitAsync(dir.Path, "commit", "-qm", "first");
        await dir.InitAsync();
        File.AppendAllText(dir.Combine(".repro", "config.yaml"), "capture:\n  untracked_max_files: 5\n  untracked_max_bytes: 100000\n");
        dir.Write("notes.py", "x = 1\n");
        for (var i = 0; i < 40; i++)
        {
            dir.Write($"imgs/{i:00}.png", new string('p', 20_000));
        }

        var run = await dir.ReproAsync("run", "--", "true");
        Assert.True(run.ExitCode == 0, run.ToString());
        var warnings = run.Stderr.Split('\n').Where(l => l.Contains("past the capture budget", StringComparison.Ordinal)).ToList();
        var warning = Assert.Single(warnings);
        Assert.Contains("imgs/", warning, StringComparison.Ordinal);
        Assert.Contains("--dep", warning, StringComparison.Ordinal);
        Assert.Contains("repro data add", warning, StringComparison.Ordinal);
        Assert.Contains(".gitignore", warning, StringComparison.Ordinal);

        var code = (await dir.ManifestAsync()).GetProperty("code");
        var over = code.GetProperty("over_budget");
        Assert.Equal("imgs", over.GetProperty("folder").GetString());
        var listed = over.GetProperty("files").GetInt32();
        Assert.True(listed >= 36, over.ToString());
        var listing = over.GetProperty("listing").GetProperty("sha256").GetString()!;
        var lines = File.ReadAllLines(dir.Combine(".repro", "cache", "sha256", listing[..2], listing[2..]));
        Assert.Equal(listed, lines.Length);
        Assert.All(lines, l => Assert.StartsWith("20000\timgs/", l, StringComparison.Ordinal));

        // What fit is in the patch: the small script, and at most five files or 100,000 bytes in all.
        var diff = code.GetProperty("diff").GetProperty("sha256").GetString()!;
        var patch = File.ReadAllText(dir.Combine(".repro", "cache", "sha256", diff[..2], diff[2..]));
        Assert.Contains("notes.py", patch, StringComparison.Ordinal);
        Assert.True(patch.Length < 200_000, patch.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));

        File.AppendAllText(dir.Combine(".repro", "config.yaml"), "  untracked_max_folders: 3\n");
        var bad = await dir.ReproAsync("run", "--", "true");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("unknown setting capture.untracked_max_folders", bad.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_git_the_commit_branch_clean_remote_and_a_patch_that_recreates_the_working_tree_are_recorded()
    {
        using var dir = new Workdir();
        await ReproProcess.GitAsync(dir.Path, "init", "-q", "-b", "main");
        await ReproProcess.GitAsync(dir.Path, "remote", "add", "origin", "https://alice:ghp_topsecret@example.test/team/model.git");
        dir.Write("train.py", "print('v1')\n");
        await ReproProcess.GitAsync(dir.Path, "add", "train.py");
        await ReproProcess.GitAsync(dir.Path, "commit", "-qm", "first");
        var commit = await ReproProcess.GitAsync(dir.Path, "rev-parse", "HEAD");
        await dir.InitAsync();

        // Uncommitted work: a modified tracked file, a new untracked script, a binary file, and declared data.
        dir.Write("train.py", "print('v2')\n");
        dir.Write("features.py", "FEATURES = ['income']\n");
        await File.WriteAllBytesAsync(dir.Combine("lookup.bin"), [0, 1, 2, 255, 0]);
        dir.Write("data.csv", "a\n1\n");
        var run = await dir.ReproAsync("run", "--dep", "data.csv", "--", "true");
        Assert.True(run.ExitCode == 0, run.ToString());

        var code = (await dir.ManifestAsync()).GetProperty("code");
        Assert.Equal("git", code.GetProperty("kind").GetString());
        Assert.Equal(commit, code.GetProperty("commit").GetString());
        Assert.Equal("main", code.GetProperty("branch").GetString());
        Assert.Equal("https://example.test/team/model.git", code.GetProperty("remote").GetString());
        Assert.True(code.GetProperty("dirty").GetBoolean());
        var changed = code.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("path").GetString()).ToList();
        Assert.Contains("train.py", changed);
        Assert.Contains("features.py", changed);
        Assert.Contains(code.GetProperty("not_captured").EnumerateArray(), c => c.GetProperty("path").GetString() == "data.csv");
        Assert.DoesNotContain("ghp_topsecret", (await dir.ReproAsync("show", "@last", "--json")).Stdout, StringComparison.Ordinal);

        // The stored patch applied to a clean checkout of the commit gives back the working tree.
        var diff = code.GetProperty("diff").GetProperty("sha256").GetString()!;
        var patch = dir.Combine(".repro", "cache", "sha256", diff[..2], diff[2..]);
        using var clone = new Workdir();
        await ReproProcess.GitAsync(clone.Path, "clone", "-q", dir.Path, "c");
        var checkout = clone.Combine("c");
        await ReproProcess.GitAsync(checkout, "apply", "--binary", patch);
        Assert.Equal("print('v2')\n", await File.ReadAllTextAsync(Path.Combine(checkout, "train.py")));
        Assert.Equal("FEATURES = ['income']\n", await File.ReadAllTextAsync(Path.Combine(checkout, "features.py")));
        Assert.Equal(new byte[] { 0, 1, 2, 255, 0 }, await File.ReadAllBytesAsync(Path.Combine(checkout, "lookup.bin")));
        Assert.False(File.Exists(Path.Combine(checkout, "data.csv")));

        // The user's own index was not touched: the new files are still untracked.
        var status = await ReproProcess.GitAsync(dir.Path, "status", "--porcelain");
        Assert.Contains("?? features.py", status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workspace_in_a_subfolder_of_the_repository_records_a_patch_made_from_the_repository_index()
    {
        using var dir = new Workdir();
        await ReproProcess.GitAsync(dir.Path, "init", "-q");
        dir.Write("project/train.py", "print('v1')\n");
        dir.Write("README", "top\n");
        await ReproProcess.GitAsync(dir.Path, "add", ".");
        await ReproProcess.GitAsync(dir.Path, "commit", "-qm", "first");
        var project = dir.Combine("project");
        Assert.Equal(0, (await ReproProcess.RunAsync(project, ["init"])).ExitCode);

        dir.Write("project/train.py", "print('v2')\n");
        dir.Write("project/features.py", "FEATURES = ['age']\n");
        var run = await ReproProcess.RunAsync(project, ["run", "--", "true"]);
        Assert.True(run.ExitCode == 0, run.ToString());

        var show = await ReproProcess.RunAsync(project, ["show", "@last", "--json"]);
        var code = JsonDocument.Parse(show.Stdout).RootElement.GetProperty("code");
        Assert.Equal("project", code.GetProperty("prefix").GetString());
        var diff = code.GetProperty("diff").GetProperty("sha256").GetString()!;
        using var clone = new Workdir();
        await ReproProcess.GitAsync(clone.Path, "clone", "-q", dir.Path, "c");
        var checkout = clone.Combine("c");
        await ReproProcess.GitAsync(checkout, "apply", "--binary", Path.Combine(project, ".repro", "cache", "sha256", diff[..2], diff[2..]));
        Assert.Equal("print('v2')\n", await File.ReadAllTextAsync(Path.Combine(checkout, "project", "train.py")));
        Assert.Equal("FEATURES = ['age']\n", await File.ReadAllTextAsync(Path.Combine(checkout, "project", "features.py")));
        Assert.Contains("?? project/features.py", await ReproProcess.GitAsync(dir.Path, "status", "--porcelain"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_clean_repository_records_no_diff()
    {
        using var dir = new Workdir();
        await ReproProcess.GitAsync(dir.Path, "init", "-q");
        dir.Write(".gitignore", ".repro/\n");
        dir.Write("train.py", "x = 1\n");
        await ReproProcess.GitAsync(dir.Path, "add", ".");
        await ReproProcess.GitAsync(dir.Path, "commit", "-qm", "c");
        await dir.InitAsync();
        Assert.Equal(0, (await dir.ReproAsync("run", "--", "true")).ExitCode);
        var code = (await dir.ManifestAsync()).GetProperty("code");
        Assert.False(code.GetProperty("dirty").GetBoolean());
        Assert.Equal(JsonValueKind.Null, code.GetProperty("diff").ValueKind);
        Assert.Equal(JsonValueKind.Null, code.GetProperty("remote").ValueKind);
    }

    [Fact]
    public async Task Outside_git_the_working_tree_is_listed_with_hashes_and_small_files_kept()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        dir.Write("train.py", "print(1)\n");
        dir.Write("src/util.py", "def f(): pass\n");
        dir.Write("__pycache__/junk.pyc", "junk");
        Assert.Equal(0, (await dir.ReproAsync("run", "--", "true")).ExitCode);
        var code = (await dir.ManifestAsync()).GetProperty("code");
        Assert.Equal("tree", code.GetProperty("kind").GetString());
        Assert.Equal(2, code.GetProperty("file_count").GetInt32());
        var listingHash = code.GetProperty("tree").GetProperty("sha256").GetString()!;
        var listing = await File.ReadAllTextAsync(dir.Combine(".repro", "cache", "sha256", listingHash[..2], listingHash[2..]));
        Assert.Contains("\"path\":\"src/util.py\"", listing, StringComparison.Ordinal);
        Assert.DoesNotContain("junk", listing, StringComparison.Ordinal);
        var script = ReproProcess.Sha256("print(1)\n");
        Assert.True(File.Exists(dir.Combine(".repro", "cache", "sha256", script[..2], script[2..])));
    }

    [Fact]
    public async Task A_folder_dependency_is_hashed_from_its_listing_and_every_file_cached()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        for (var i = 0; i < 50; i++)
        {
            dir.Write($"data/part-{i:D3}.csv", $"row,{i}\n");
        }

        Assert.Equal(0, (await dir.ReproAsync("run", "--dep", "data", "--", "true")).ExitCode);
        var dep = (await dir.ManifestAsync()).GetProperty("deps")[0];
        Assert.Equal("dir", dep.GetProperty("kind").GetString());
        Assert.Equal(50, dep.GetProperty("files").GetInt32());
        var first = dep.GetProperty("sha256").GetString();

        // Unchanged data gives the same hash on the next run (served by the stat cache); a change gives another.
        Assert.Equal(0, (await dir.ReproAsync("run", "--dep", "data", "--", "true")).ExitCode);
        Assert.Equal(first, (await dir.ManifestAsync()).GetProperty("deps")[0].GetProperty("sha256").GetString());
        dir.Write("data/part-007.csv", "row,changed\n");
        Assert.Equal(0, (await dir.ReproAsync("run", "--dep", "data", "--", "true")).ExitCode);
        Assert.NotEqual(first, (await dir.ManifestAsync()).GetProperty("deps")[0].GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task A_real_scikit_learn_script_is_recorded_with_its_interpreter_and_packages()
    {
        Assert.True(File.Exists(SystemPython), "Debian's python3 is needed (the test script installs it)");
        using var dir = new Workdir();
        await dir.InitAsync();
        dir.Write("train.py", """
            import json, os, sys
            import numpy as np
            from sklearn.datasets import make_classification
            from sklearn.linear_model import LogisticRegression
            from sklearn.model_selection import train_test_split
            seed = int(os.environ["REPRO_SEED"])
            X, y = make_classification(n_samples=300, n_features=8, random_state=seed)
            X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, random_state=seed)
            model = LogisticRegression(C=float(sys.argv[1])).fit(X_tr, y_tr)
            acc = float(model.score(X_te, y_te))
            json.dump({"acc": acc}, open("metrics.json", "w"))
            with open(os.environ["REPRO_METRICS_FILE"], "a") as log:
                for step in range(3):
                    log.write(json.dumps({"key": "loss", "value": 1.0 / (step + 1), "step": step}) + "\n")
            print("acc", acc)
            """);
        var run = await dir.ReproAsync("run", "--seed", "3", "--metrics", "metrics.json", "--", SystemPython, "train.py", "0.5");
        Assert.True(run.ExitCode == 0, run.ToString());
        var manifest = await dir.ManifestAsync();
        var python = manifest.GetProperty("environment").GetProperty("python");
        Assert.StartsWith("3.", python.GetProperty("version").GetString(), StringComparison.Ordinal);
        var packages = python.GetProperty("packages");
        Assert.True(packages.TryGetProperty("scikit-learn", out _), "scikit-learn missing from packages");
        Assert.True(packages.TryGetProperty("numpy", out _), "numpy missing from packages");
        var acc = manifest.GetProperty("metrics").GetProperty("values").GetProperty("acc").GetDouble();
        Assert.InRange(acc, 0.5, 1.0);
        Assert.Equal(3, manifest.GetProperty("metrics").GetProperty("steps").GetProperty("loss").GetArrayLength());
        Assert.True(manifest.GetProperty("execution").GetProperty("peak_rss_bytes").GetInt64() > 10_000_000);

        // The same seed gives the same accuracy: the run is reproducible here.
        Assert.Equal(0, (await dir.ReproAsync("run", "--seed", "3", "--metrics", "metrics.json", "--", SystemPython, "train.py", "0.5")).ExitCode);
        Assert.Equal(acc, (await dir.ManifestAsync()).GetProperty("metrics").GetProperty("values").GetProperty("acc").GetDouble());
    }

    [Fact]
    public async Task The_interpreter_recorded_is_the_one_the_command_resolves_to_on_PATH()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        using var bin = new Workdir();
        File.CreateSymbolicLink(bin.Combine("python3"), SystemPython);
        var path = bin.Path + ":" + Environment.GetEnvironmentVariable("PATH");
        var run = await ReproProcess.RunWithAsync(dir.Path, new Dictionary<string, string?> { ["PATH"] = path }, null, "run", "--", "python3", "-c", "import sklearn");
        Assert.True(run.ExitCode == 0, run.ToString());
        var manifest = await dir.ManifestAsync();
        Assert.Equal(bin.Combine("python3"), manifest.GetProperty("execution").GetProperty("executable").GetString());
        Assert.True(manifest.GetProperty("environment").GetProperty("python").GetProperty("packages").TryGetProperty("scikit-learn", out _));
    }

    [Fact]
    public async Task Two_runs_at_the_same_time_are_both_recorded()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        dir.Write("data.csv", "x\n1\n");
        var runs = Enumerable.Range(0, 4).Select(i => dir.ReproAsync("run", "--name", $"p{i}", "--dep", "data.csv", "--", "sh", "-c", $"sleep 0.3; echo {i} > out{i}.txt")).ToList();
        var results = await Task.WhenAll(runs);
        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        var listed = JsonDocument.Parse((await dir.ReproAsync("runs", "--json")).Stdout).RootElement;
        Assert.Equal(4, listed.GetArrayLength());
    }

    [Fact]
    public async Task Ctrl_C_reaches_the_command_and_the_interrupted_run_is_recorded()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        using var process = ReproProcess.Start(dir.Path, ["run", "--name", "long", "--", "sh", "-c", "trap 'echo got-int; exit 130' INT; echo started; while true; do sleep 0.1; done"]);
        var stdout = process.StandardOutput;
        Assert.Equal("started", await stdout.ReadLineAsync());
        Assert.Equal(0, Kill(process.Id, 2));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(130, process.ExitCode);
        var manifest = await dir.ManifestAsync("long");
        Assert.Equal("failed", manifest.GetProperty("status").GetString());
        Assert.Equal(130, manifest.GetProperty("execution").GetProperty("exit_code").GetInt32());
    }

    [Fact]
    public async Task Killing_repro_mid_run_leaves_the_store_and_cache_consistent()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        var big = new byte[8 << 20];
        RandomNumberGenerator.Fill(big);
        await File.WriteAllBytesAsync(dir.Combine("big.bin"), big);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var process = ReproProcess.Start(dir.Path, ["run", "--dep", "big.bin", "--out", "big.bin", "--", "sleep", "5"]);

            // Kill once repro has started writing into the cache (on a loaded machine that can take seconds), a little later each time.
            var cache = dir.Combine(".repro", "cache");
            for (var waited = 0; waited < 200 && !Directory.EnumerateFileSystemEntries(cache).Any(); waited++)
            {
                await Task.Delay(50);
            }

            await Task.Delay(attempt * 250);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        // Every blob under a hash has exactly that hash; the store still works.
        var blobs = dir.Combine(".repro", "cache", "sha256");
        foreach (var blob in Directory.Exists(blobs) ? Directory.EnumerateFiles(blobs, "*", SearchOption.AllDirectories) : [])
        {
            var name = Path.GetFileName(Path.GetDirectoryName(blob)) + Path.GetFileName(blob);
            Assert.Equal(name, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(blob))));
        }

        var after = await dir.ReproAsync("run", "--name", "after", "--", "true");
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Equal("ok", (await dir.ManifestAsync("after")).GetProperty("status").GetString());
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
