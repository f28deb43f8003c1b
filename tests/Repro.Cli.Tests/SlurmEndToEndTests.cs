using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Repro.Tests.Slurm;

namespace Repro.Cli.Tests;

/// <summary>
/// Seed studies on a real single-node Slurm: one job array per study, a task per seed running
/// repro on the node, and the faults a cluster brings (a task cancelled, a node-side repro that
/// crashes, the waiting repro killed, the store locked while tasks finish). Every seed must be
/// accounted for exactly once.
/// </summary>
[Collection(SlurmClusterFixture.Collection)]
public sealed class SlurmEndToEndTests(SlurmClusterFixture cluster)
{
    private const string Python = "/usr/bin/python3";

    // A seeded metric; the seed named in SLOW_SEED sleeps on its first attempt (the marker file says which task it is).
    private const string Noisy = """
        import json, os, random, sys, time
        seed = int(os.environ["REPRO_SEED"])
        marks = os.environ.get("MARKS")
        if marks:
            open(os.path.join(marks, "started-" + str(seed)), "w").close()
        if marks and os.environ.get("SLOW_SEED") == str(seed):
            mark = os.path.join(marks, "slow-" + str(seed))
            if not os.path.exists(mark):
                open(mark + ".tmp", "w").write(os.environ["SLURM_ARRAY_JOB_ID"] + "_" + os.environ["SLURM_ARRAY_TASK_ID"])
                os.rename(mark + ".tmp", mark)
                time.sleep(120)
        time.sleep(float(os.environ.get("PAUSE", "0")))
        random.seed(seed)
        json.dump({"acc": 0.8 + random.gauss(0, 0.01)}, open("metrics.json", "w"))
        if marks:
            open(os.path.join(marks, "done-" + str(seed)), "w").close()
        """;

    // A parallel sum: its rounding depends on how many threads split it (a pool of 4 unless OMP_NUM_THREADS says otherwise).
    private const string Reduction = """
        import json, os, random
        threads = int(os.environ.get("OMP_NUM_THREADS") or 4)
        random.seed(7)
        values = [random.random() for _ in range(100000)]
        chunk = -(-len(values) // threads)
        json.dump({"total": sum(sum(values[i:i + chunk]) for i in range(0, len(values), chunk))}, open("metrics.json", "w"))
        """;

    // A seeded metric written where the command line says.
    private const string Seeded = """
        import json, os, random, sys
        random.seed(int(os.environ["REPRO_SEED"]))
        json.dump({"acc": 0.8 + random.gauss(0, 0.01)}, open(sys.argv[1], "w"))
        """;

    private static readonly Dictionary<string, string?> FastPolling = new() { ["REPRO_SLURM_POLL_MS"] = "200" };

    private static async Task<Workdir> ProjectAsync()
    {
        var dir = new Workdir();
        await ReproProcess.GitAsync(dir.Path, "init", "-q");
        dir.Write(".gitignore", "metrics.json\nmarks/\n");
        dir.Write("noisy.py", Noisy);
        await ReproProcess.GitAsync(dir.Path, "add", ".");
        await ReproProcess.GitAsync(dir.Path, "commit", "-qm", "noisy");
        await dir.InitAsync();
        var record = await dir.ReproAsync("run", "--name", "noisy", "--seed", "1", "--metrics", "metrics.json", "--", Python, "noisy.py");
        Assert.True(record.ExitCode == 0, record.ToString());
        return dir;
    }

    private static Dictionary<string, string?> With(params (string Key, string Value)[] variables)
    {
        var result = new Dictionary<string, string?>(FastPolling);
        foreach (var (key, value) in variables)
        {
            result[key] = value;
        }

        return result;
    }

    private static async Task<(ReproProcess.Result Result, JsonElement Study)> SeedsAsync(Workdir dir, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var result = await ReproProcess.RunWithAsync(dir.Path, environment, null, ["seeds", "noisy", "--executor", "slurm", "--json", .. args]);
        return (result, result.Stdout.Length > 0 ? JsonDocument.Parse(result.Stdout).RootElement.Clone() : default);
    }

    private static List<long> Seeds(JsonElement study) => study.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("seed").GetInt64()).ToList();

    private static List<string> Warnings(JsonElement study) => study.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToList();

    /// <summary>Runs whose parent is the study, from the store, by seed.</summary>
    private static async Task<List<(string Id, long Seed, string Status)>> ChildRunsAsync(Workdir dir, string study)
    {
        await using var connection = new SqliteConnection($"Data Source={dir.Combine(".repro", "repro.db")};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, seed, status FROM runs WHERE parent_id = $study ORDER BY seed";
        command.Parameters.AddWithValue("$study", study);
        var runs = new List<(string, long, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            runs.Add((reader.GetString(0), reader.GetInt64(1), reader.GetString(2)));
        }

        return runs;
    }

    /// <summary>Waits for a file (its text) or a folder (empty text) to appear.</summary>
    private static async Task<string> WaitForFileAsync(string path, Process? alive = null)
    {
        for (var i = 0; i < 1200; i++)
        {
            if (File.Exists(path))
            {
                return await File.ReadAllTextAsync(path);
            }

            if (Directory.Exists(path))
            {
                return string.Empty;
            }

            Assert.False(alive is { HasExited: true }, $"repro ended before {Path.GetFileName(path)} appeared");
            await Task.Delay(100);
        }

        throw new TimeoutException($"{path} never appeared");
    }

    [Fact]
    public async Task A_study_on_Slurm_records_the_same_study_as_the_local_path()
    {
        using var dir = await ProjectAsync();
        var (slurm, study) = await SeedsAsync(dir, FastPolling, "-n", "4");
        Assert.True(slurm.ExitCode == 0, slurm.ToString());
        var local = await ReproProcess.RunWithAsync(dir.Path, null, null, "seeds", "noisy", "-n", "4", "--json");
        Assert.True(local.ExitCode == 0, local.ToString());
        var localStudy = JsonDocument.Parse(local.Stdout).RootElement;

        Assert.Equal("scratch", study.GetProperty("mode").GetString());
        Assert.Equal([1L, 2, 3, 4], Seeds(study));
        Assert.Equal(
            localStudy.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("metrics").GetProperty("acc").GetDouble()),
            study.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("metrics").GetProperty("acc").GetDouble()));
        Assert.Equal(localStudy.GetProperty("statistics").GetProperty("acc").GetProperty("mean").GetDouble(), study.GetProperty("statistics").GetProperty("acc").GetProperty("mean").GetDouble());

        var id = study.GetProperty("study").GetString()!;
        var manifest = await dir.ManifestAsync(id);
        Assert.Equal("study", manifest.GetProperty("kind").GetString());
        var children = await ChildRunsAsync(dir, id);
        Assert.Equal([1L, 2, 3, 4], children.Select(c => c.Seed));
        Assert.Equal(study.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("run_id").GetString()), children.Select(c => c.Id));

        // Each child ran on the node, as a task of the array.
        var child = await dir.ManifestAsync(children[0].Id);
        Assert.Equal(cluster.Node, child.GetProperty("environment").GetProperty("hostname").GetString());
        Assert.Contains("study=" + id, child.GetProperty("tags").EnumerateObject().Select(t => t.Name + "=" + t.Value.GetString()));
    }

    [Fact]
    public async Task Verify_on_Slurm_probes_the_node_so_a_thread_variable_only_the_node_sets_is_a_cause()
    {
        using var dir = await ProjectAsync();
        dir.Write("reduce.py", Reduction);
        await ReproProcess.GitAsync(dir.Path, "add", ".");
        await ReproProcess.GitAsync(dir.Path, "commit", "-qm", "reduce");

        // Recorded on the login machine, where OMP_NUM_THREADS is not set; the node's task prolog sets it (SlurmCluster).
        var login = new Dictionary<string, string?>(FastPolling) { ["OMP_NUM_THREADS"] = null };
        var record = await ReproProcess.RunWithAsync(dir.Path, login, null, "run", "--name", "reduce", "--seed", "1", "--metrics", "metrics.json", "--", Python, "reduce.py");
        Assert.True(record.ExitCode == 0, record.ToString());
        var original = await dir.ManifestAsync("reduce");
        Assert.False(original.GetProperty("environment").GetProperty("variables").TryGetProperty("OMP_NUM_THREADS", out _));

        var verify = await ReproProcess.RunWithAsync(dir.Path, login, null, "verify", "reduce", "--executor", "slurm", "--json");
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Equal("EQUIVALENT", JsonDocument.Parse(verify.Stdout).RootElement.GetProperty("verdict").GetString());
        var report = JsonDocument.Parse(verify.Stdout).RootElement;
        var causes = report.GetProperty("causes").EnumerateArray().Select(c => (Pillar: c.GetProperty("pillar").GetString(), Detail: c.GetProperty("detail").GetString()!)).ToList();
        Assert.Contains(causes, c => c.Pillar == "threads" && c.Detail.Contains("OMP_NUM_THREADS (unset) → 1", StringComparison.Ordinal));

        // The reproduction's pillar was probed in the job, on the node: its variables, its interpreter and packages.
        var rerun = await dir.ManifestAsync(report.GetProperty("reproduction_runs")[0].GetString()!);
        var environment = rerun.GetProperty("environment");
        Assert.Equal("1", environment.GetProperty("variables").GetProperty("OMP_NUM_THREADS").GetString());
        Assert.Equal("slurm", environment.GetProperty("executor").GetProperty("name").GetString());
        Assert.Equal(cluster.Node, environment.GetProperty("executor").GetProperty("details").GetProperty("node").GetString());
        Assert.Equal(cluster.Node, environment.GetProperty("hostname").GetString());
        Assert.Equal(Python, environment.GetProperty("python").GetProperty("executable").GetString());
        Assert.Equal(
            original.GetProperty("environment").GetProperty("python").GetProperty("packages").EnumerateObject().Select(p => p.Name),
            environment.GetProperty("python").GetProperty("packages").EnumerateObject().Select(p => p.Name));
        Assert.DoesNotContain(rerun.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("environment pillar", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_study_of_a_command_on_Slurm_runs_each_seed_as_an_array_task_in_place()
    {
        using var dir = await ProjectAsync();
        dir.Write(".gitignore", "metrics.json\nmarks/\nm-*.json\n");
        dir.Write("seeded.py", Seeded);
        await ReproProcess.GitAsync(dir.Path, "add", ".");
        await ReproProcess.GitAsync(dir.Path, "commit", "-qm", "seeded");

        string[] command = ["-n", "3", "--name", "seeded", "--metrics", "m-{seed}.json", "--json", "--", Python, "seeded.py", "m-{seed}.json"];
        var slurm = await ReproProcess.RunWithAsync(dir.Path, FastPolling, null, ["seeds", "--executor", "slurm", .. command]);
        Assert.True(slurm.ExitCode == 0, slurm.ToString());
        var study = JsonDocument.Parse(slurm.Stdout).RootElement;
        var local = await ReproProcess.RunWithAsync(dir.Path, null, null, ["seeds", .. command]);
        Assert.True(local.ExitCode == 0, local.ToString());
        var localStudy = JsonDocument.Parse(local.Stdout).RootElement;

        Assert.Equal("in-place", study.GetProperty("mode").GetString());
        Assert.Equal(JsonValueKind.Null, study.GetProperty("source_run").ValueKind);
        Assert.Equal("seeded", study.GetProperty("name").GetString());
        Assert.Equal([1L, 2, 3], Seeds(study));
        Assert.Equal(
            localStudy.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("metrics").GetProperty("acc").GetDouble()),
            study.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("metrics").GetProperty("acc").GetDouble()));

        // Every seed is one task of one array, recorded once, on the node, in this folder.
        var id = study.GetProperty("study").GetString()!;
        var children = await ChildRunsAsync(dir, id);
        Assert.Equal([1L, 2, 3], children.Select(c => c.Seed));
        Assert.Single(Directory.GetFiles(dir.Combine(".repro", "slurm", id), "batch-*.sh"));
        var child = await dir.ManifestAsync(children[2].Id);
        Assert.Equal(cluster.Node, child.GetProperty("environment").GetProperty("hostname").GetString());
        Assert.Equal("m-3.json", child.GetProperty("metrics").GetProperty("sources")[0].GetProperty("path").GetString());
        Assert.True(File.Exists(dir.Combine("m-3.json")));
    }

    [Fact]
    public async Task A_task_cancelled_mid_run_is_submitted_again_and_its_seed_counted_once()
    {
        using var dir = await ProjectAsync();
        var marks = Directory.CreateDirectory(dir.Combine("marks")).FullName;
        using var process = ReproProcess.Start(dir.Path, ["seeds", "noisy", "-n", "3", "--executor", "slurm", "--retries", "1", "--json"], With(("MARKS", marks), ("SLOW_SEED", "2")));
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var task = await WaitForFileAsync(Path.Combine(marks, "slow-2"), process);
        var cancel = await SlurmClusterFixture.RunAsync("scancel", [task]);
        Assert.True(cancel.ExitCode == 0, cancel.Stderr);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        var raw = $"exit {process.ExitCode}\n{await stdout}\n{await stderr}";
        Assert.True(process.ExitCode == 0, raw);

        var study = JsonDocument.Parse(await stdout).RootElement;
        Assert.Equal([1L, 2, 3], Seeds(study));
        Assert.All(study.GetProperty("children").EnumerateArray(), c => Assert.Equal("ok", c.GetProperty("status").GetString()));
        Assert.Equal(3, study.GetProperty("statistics").GetProperty("acc").GetProperty("n").GetInt32());
        Assert.Contains(Warnings(study), w => w.StartsWith("seed 2: attempt 1 (Slurm task " + task + " CANCELLED", StringComparison.Ordinal));

        // The interrupted first attempt is kept as its own run; the study counts only the second.
        var runs = await ChildRunsAsync(dir, study.GetProperty("study").GetString()!);
        var seedTwo = study.GetProperty("children").EnumerateArray().Single(c => c.GetProperty("seed").GetInt64() == 2).GetProperty("run_id").GetString();
        Assert.Contains(runs, r => r.Id == seedTwo && r.Status == "ok");
        Assert.Single(runs, r => r.Seed == 1);
        Assert.Single(runs, r => r.Seed == 3);
    }

    [Fact]
    public async Task A_node_side_repro_that_crashes_is_retried_then_reported_without_a_run()
    {
        using var dir = new Workdir();
        using var interpreters = new Workdir();
        await dir.InitAsync();
        var shell = interpreters.Combine("shell");
        File.CreateSymbolicLink(shell, "/bin/sh");
        dir.Write("job.sh", $"#!{shell}\necho ran > metrics.txt\n");
        File.SetUnixFileMode(dir.Combine("job.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var record = await dir.ReproAsync("run", "--name", "noisy", "--seed", "1", "--", "./job.sh");
        Assert.True(record.ExitCode == 0, record.ToString());

        // The node no longer has the interpreter the script names: repro run cannot even start it.
        File.Delete(shell);
        var (result, study) = await SeedsAsync(dir, FastPolling, "-n", "2", "--retries", "1");
        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Equal([1L, 2], Seeds(study));
        Assert.All(study.GetProperty("children").EnumerateArray(), c => Assert.Equal("failed", c.GetProperty("status").GetString()));
        var warnings = Warnings(study);
        foreach (var seed in new[] { 1, 2 })
        {
            Assert.Contains(warnings, w => w.StartsWith($"seed {seed}: attempt 1 (Slurm task ", StringComparison.Ordinal) && w.Contains("FAILED, exit 3", StringComparison.Ordinal));
            Assert.Contains(warnings, w => w.StartsWith($"seed {seed}: Slurm task ", StringComparison.Ordinal) && w.Contains("after 2 attempt(s), no run recorded", StringComparison.Ordinal));
        }

        Assert.Empty(await ChildRunsAsync(dir, study.GetProperty("study").GetString()!));
    }

    [Fact]
    public async Task Killing_the_waiting_repro_loses_nothing_and_study_wait_re_attaches()
    {
        using var dir = await ProjectAsync();
        var marks = Directory.CreateDirectory(dir.Combine("marks")).FullName;
        var environment = With(("MARKS", marks), ("PAUSE", "2"));
        using var process = ReproProcess.Start(dir.Path, ["seeds", "noisy", "-n", "3", "--executor", "slurm"], environment);
        string? line;
        while ((line = await process.StandardError.ReadLineAsync()) is not null && !line.Contains("submitted to Slurm", StringComparison.Ordinal))
        {
        }

        Assert.NotNull(line);
        var study = line.Split(' ')[2].TrimEnd(':');
        process.Kill();
        await process.WaitForExitAsync();

        var attached = await ReproProcess.RunWithAsync(dir.Path, environment, null, "study", study, "--wait", "--json");
        Assert.True(attached.ExitCode == 0, attached.ToString());
        var report = JsonDocument.Parse(attached.Stdout).RootElement;
        Assert.StartsWith(study, report.GetProperty("study").GetString(), StringComparison.Ordinal);
        Assert.Equal([1L, 2, 3], Seeds(report));
        Assert.Equal([1L, 2, 3], (await ChildRunsAsync(dir, report.GetProperty("study").GetString()!)).Select(r => r.Seed));

        // Once saved, the study is the study: waiting again reports the same one.
        var again = await ReproProcess.RunWithAsync(dir.Path, environment, null, "study", study, "--wait", "--json");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(report.GetProperty("digest").GetString(), JsonDocument.Parse(again.Stdout).RootElement.GetProperty("digest").GetString());
    }

    [Fact]
    public async Task Tasks_that_finish_while_the_store_is_locked_write_once_it_is_free()
    {
        using var dir = await ProjectAsync();
        var marks = Directory.CreateDirectory(dir.Combine("marks")).FullName;
        await using var blocker = new SqliteConnection($"Data Source={dir.Combine(".repro", "repro.db")};Pooling=false");
        await blocker.OpenAsync();
        using var process = ReproProcess.Start(dir.Path, ["seeds", "noisy", "-n", "2", "--executor", "slurm", "--json"], With(("MARKS", marks), ("PAUSE", "2")));
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        foreach (var seed in new[] { 1, 2 })
        {
            await WaitForFileAsync(Path.Combine(marks, "started-" + seed), process);
        }

        // Both commands are running: from now until they have ended nobody can write, so each task has to wait to record.
        await using (var exclusive = blocker.CreateCommand())
        {
            exclusive.CommandText = "BEGIN EXCLUSIVE";
            await exclusive.ExecuteNonQueryAsync();
        }

        foreach (var seed in new[] { 1, 2 })
        {
            await WaitForFileAsync(Path.Combine(marks, "done-" + seed), process);
        }

        await using (var count = blocker.CreateCommand())
        {
            count.CommandText = "SELECT count(*) FROM runs WHERE parent_id IS NOT NULL";
            Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
        }

        await using (var release = blocker.CreateCommand())
        {
            release.CommandText = "ROLLBACK";
            await release.ExecuteNonQueryAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{await stdout}\n{await stderr}");
        var study = JsonDocument.Parse(await stdout).RootElement;
        Assert.Equal([1L, 2], Seeds(study));
        Assert.Equal([1L, 2], (await ChildRunsAsync(dir, study.GetProperty("study").GetString()!)).Select(r => r.Seed));
    }

    [Fact]
    public async Task A_task_run_again_after_its_seed_is_recorded_stores_nothing()
    {
        using var dir = await ProjectAsync();
        var (result, study) = await SeedsAsync(dir, FastPolling, "-n", "2");
        Assert.True(result.ExitCode == 0, result.ToString());
        var id = study.GetProperty("study").GetString()!;

        // As if Slurm requeued task 1 of the first array after it had recorded its run.
        var again = await ReproProcess.RunWithAsync(dir.Path, null, null, "slurm-task", id, "--batch", "0", "--task", "1");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("already recorded", again.Stderr, StringComparison.Ordinal);
        Assert.Equal([1L, 2], (await ChildRunsAsync(dir, id)).Select(r => r.Seed));
    }

    [Theory]
    [InlineData("--retries", "-1")]
    [InlineData("--cpus-per-task", "0")]
    [InlineData("--time", "half an hour")]
    public async Task Bad_Slurm_options_are_usage_errors_before_anything_is_submitted(string flag, string value)
    {
        using var dir = await ProjectAsync();
        var result = await ReproProcess.RunWithAsync(dir.Path, FastPolling, null, "seeds", "noisy", "-n", "2", "--executor", "slurm", flag, value);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.False(Directory.Exists(dir.Combine(".repro", "slurm")));
    }
}
