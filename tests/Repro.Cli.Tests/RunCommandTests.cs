using System.Text.Json;

namespace Repro.Cli.Tests;

public sealed class RunCommandTests
{
    [Fact]
    public void Each_command_is_built_under_the_name_repro_looks_it_up_by()
    {
        var context = new CliContext(TextWriter.Null, TextWriter.Null, []);
        Assert.Equal(ReproApp.Commands.Count, ReproApp.Commands.Select(c => c.Name).Distinct().Count());
        foreach (var (name, create) in ReproApp.Commands)
        {
            Assert.Equal(name, create(context).Name);
        }
    }

    [Fact]
    public async Task Help_lists_every_command_and_a_mistyped_one_is_a_usage_error()
    {
        using var dir = new Workdir(native: true);
        var help = await dir.ReproAsync("--help");
        Assert.Equal(0, help.ExitCode);
        foreach (var (name, _) in ReproApp.Commands.Where(c => c.Name != "slurm-task"))
        {
            Assert.Contains($"  {name} ", help.Stdout, StringComparison.Ordinal);
        }

        var typo = await dir.ReproAsync("verfiy", "@last");
        Assert.Equal(2, typo.ExitCode);
        Assert.Contains("Unrecognized command or argument 'verfiy'", typo.Stderr, StringComparison.Ordinal);

        var own = await dir.ReproAsync("run", "--help");
        Assert.Equal(0, own.ExitCode);
        Assert.Contains("--dep", own.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_metrics_file_of_YAML_aliases_that_would_expand_to_billions_is_refused_and_the_run_still_recorded()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        var bomb = new System.Text.StringBuilder("a: &a [1,1,1,1,1,1,1,1,1]\n");
        for (var level = 'b'; level <= 'k'; level++)
        {
            bomb.Append(level).Append(": &").Append(level).Append(" [").Append(string.Join(",", Enumerable.Repeat($"*{(char)(level - 1)}", 9))).Append("]\n");
        }

        dir.Write("bomb.yaml", bomb.ToString());
        var run = await dir.ReproAsync("run", "--metrics", "bomb.yaml", "--", "true");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("metrics file bomb.yaml could not be read", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("1000000 nodes", run.Stderr, StringComparison.Ordinal);
        var manifest = await dir.ManifestAsync();
        Assert.Contains(manifest.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("bomb.yaml", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Init_creates_the_workspace_and_is_idempotent()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        Assert.True(File.Exists(dir.Combine(".repro", "repro.db")));
        Assert.True(File.Exists(dir.Combine(".repro", "config.yaml")));
        var again = await dir.ReproAsync("init");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("already initialised", again.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_outside_a_workspace_fail_with_a_hint_to_init()
    {
        using var dir = new Workdir(native: true);
        foreach (var args in new[] { new[] { "runs" }, ["show", "@last"], ["run", "--", "true"] })
        {
            var result = await dir.ReproAsync(args);
            Assert.Equal(2, result.ExitCode);
            Assert.Contains("repro init", result.Stderr, StringComparison.Ordinal);
            Assert.Single(result.Stderr.Trim().Split('\n'));
        }
    }

    [Fact]
    public async Task A_run_records_data_params_seed_outputs_metrics_and_its_digest()
    {
        using var dir = new Workdir(native: true);
        await dir.InitAsync();
        dir.Write("data/train.csv", "x,y\n1,0\n2,1\n");
        dir.Write("params.yaml", "model:\n  depth: 3\n");
        var script = "echo seed=$REPRO_SEED hash=$PYTHONHASHSEED arg=$1 run=$REPRO_RUN_ID; "
            + "echo '{\"acc\": 0.925, \"val\": {\"auc\": 0.97}}' > metrics.json; echo model > model.bin; "
            + "echo '{\"key\": \"loss\", \"value\": 0.5, \"step\": 1}' >> \"$REPRO_METRICS_FILE\"; "
            + "echo '{\"key\": \"loss\", \"value\": 0.25, \"step\": 2}' >> \"$REPRO_METRICS_FILE\"";
        var run = await dir.ReproAsync("run", "--name", "baseline", "--dep", "data/train.csv", "--out", "model.bin", "--metrics", "metrics.json",
            "--param", "lr=0.1", "--params-file", "params.yaml", "--seed", "42", "--tag", "team=credit", "--", "sh", "-c", script, "sh", "{seed}");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("seed=42 hash=42 arg=42 run=", run.Stdout, StringComparison.Ordinal);

        var show = await dir.ReproAsync("show", "baseline", "--json");
        var manifest = JsonDocument.Parse(show.Stdout).RootElement;
        Assert.Equal(ReproProcess.Sha256(show.Stdout.TrimEnd('\n')), (await dir.ReproAsync("runs", "--json")).Stdout.Split("\"digest\": \"")[1][..64]);
        Assert.Equal(1, manifest.GetProperty("schema_version").GetInt32());
        Assert.Equal("ok", manifest.GetProperty("status").GetString());
        Assert.Equal(42, manifest.GetProperty("seed").GetInt64());
        Assert.Equal("0.1", manifest.GetProperty("params").GetProperty("lr").GetString());
        Assert.Equal("3", manifest.GetProperty("params").GetProperty("model.depth").GetString());
        Assert.Equal("credit", manifest.GetProperty("tags").GetProperty("team").GetString());
        var dep = manifest.GetProperty("deps")[0];
        Assert.Equal("data/train.csv", dep.GetProperty("path").GetString());
        Assert.Equal(ReproProcess.Sha256("x,y\n1,0\n2,1\n"), dep.GetProperty("sha256").GetString());
        var outHash = manifest.GetProperty("outputs")[0].GetProperty("sha256").GetString()!;
        Assert.Equal(ReproProcess.Sha256("model\n"), outHash);
        Assert.True(File.Exists(dir.Combine(".repro", "cache", "sha256", outHash[..2], outHash[2..])));
        var metrics = manifest.GetProperty("metrics");
        Assert.Equal(0.925, metrics.GetProperty("values").GetProperty("acc").GetDouble());
        Assert.Equal(0.97, metrics.GetProperty("values").GetProperty("val.auc").GetDouble());
        Assert.Equal(0.25, metrics.GetProperty("values").GetProperty("loss").GetDouble());
        Assert.Equal(2, metrics.GetProperty("steps").GetProperty("loss").GetArrayLength());
        Assert.Equal(["sh", "-c", script, "sh", "42"], manifest.GetProperty("execution").GetProperty("command").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("{seed}", manifest.GetProperty("execution").GetProperty("argv")[4].GetString());
        Assert.Equal("42", manifest.GetProperty("determinism").GetProperty("variables").GetProperty("PYTHONHASHSEED").GetString());

        var text = await dir.ReproAsync("show", "baseline");
        Assert.Contains("data/train.csv", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("acc = 0.925", text.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("repro.db", "this file is not a SQLite database, whatever its name says\n", 3)]
    [InlineData("config.yaml", "version: 1\nstore: postgresql://ana:hunter2@db.test/runs\n", 2)]
    public async Task A_store_that_cannot_be_opened_stops_the_run_before_the_command_starts(string file, string content, int exitCode)
    {
        // The store opens on another thread while the run is prepared; the command must still never start.
        using var dir = new Workdir();
        await dir.InitAsync();
        foreach (var stale in new[] { "repro.db", "repro.db-wal", "repro.db-shm" }.Where(_ => file == "repro.db"))
        {
            File.Delete(dir.Combine(".repro", stale));
        }

        dir.Write(Path.Combine(".repro", file), content);
        var run = await dir.ReproAsync("run", "--", "sh", "-c", "echo ran > ran.txt");
        Assert.True(run.ExitCode == exitCode, run.ToString());
        Assert.False(File.Exists(dir.Combine("ran.txt")), "the command ran although its run could not be recorded");
        Assert.Single(run.Stderr.Trim().Split('\n'));
        Assert.DoesNotContain("hunter2", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_seed_show_says_so_and_the_manifest_records_null()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        Assert.Equal(0, (await dir.ReproAsync("run", "--", "true")).ExitCode);
        Assert.Equal(JsonValueKind.Null, (await dir.ManifestAsync()).GetProperty("seed").ValueKind);
        Assert.Contains("none: repro did not seed this run", (await dir.ReproAsync("show", "@last")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_commands_exit_code_is_passed_on_and_a_failed_run_is_still_recorded()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        var run = await dir.ReproAsync("run", "--name", "broken", "--", "sh", "-c", "echo oops >&2; exit 7");
        Assert.Equal(7, run.ExitCode);
        Assert.Contains("oops", run.Stderr, StringComparison.Ordinal);
        var manifest = await dir.ManifestAsync("broken");
        Assert.Equal("failed", manifest.GetProperty("status").GetString());
        Assert.Equal(7, manifest.GetProperty("execution").GetProperty("exit_code").GetInt32());
        var failed = await dir.ReproAsync("runs", "--status", "failed", "--json");
        Assert.Single(JsonDocument.Parse(failed.Stdout).RootElement.EnumerateArray());
        var ok = await dir.ReproAsync("runs", "--status", "ok", "--json");
        Assert.Empty(JsonDocument.Parse(ok.Stdout).RootElement.EnumerateArray());
    }

    [Fact]
    public async Task Stdin_passes_through_and_stdout_is_kept_in_the_cache()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        var run = await ReproProcess.RunWithAsync(dir.Path, null, "hello from stdin\n", "run", "--", "cat");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("hello from stdin\n", run.Stdout);
        var stdout = (await dir.ManifestAsync()).GetProperty("execution").GetProperty("stdout");
        var sha = stdout.GetProperty("sha256").GetString()!;
        Assert.Equal(ReproProcess.Sha256("hello from stdin\n"), sha);
        Assert.Equal("hello from stdin\n", await File.ReadAllTextAsync(dir.Combine(".repro", "cache", "sha256", sha[..2], sha[2..])));
    }

    [Theory]
    [InlineData(2, "dependency not found: missing.csv", "--dep", "missing.csv", "--", "true")]
    [InlineData(2, "--param expects KEY=VALUE", "--param", "novalue", "--", "true")]
    [InlineData(2, "no command given", "--name", "x")]
    [InlineData(2, "uses {seed} but no --seed", "--", "echo", "{seed}")]
    [InlineData(3, "cannot start 'no-such-program-xyz'", "--", "no-such-program-xyz")]
    [InlineData(2, "params file not found", "--params-file", "nope.yaml", "--", "true")]
    [InlineData(2, "invalid run name", "--name", "@x", "--", "true")]
    public async Task Bad_input_gives_one_line_an_exit_code_and_records_nothing(int code, string message, params string[] args)
    {
        using var dir = new Workdir(native: true);
        await dir.InitAsync();
        var result = await dir.ReproAsync(["run", .. args]);
        Assert.True(code == result.ExitCode, result.ToString());
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        var runs = await dir.ReproAsync("runs", "--json");
        Assert.Empty(JsonDocument.Parse(runs.Stdout).RootElement.EnumerateArray());
        var scratch = dir.Combine(".repro", "tmp");
        Assert.True(!Directory.Exists(scratch) || Directory.GetFileSystemEntries(scratch).Length == 0, "scratch space left behind");
    }

    [Fact]
    public async Task A_malformed_params_file_is_a_usage_error_naming_the_file()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        dir.Write("params.json", "{\"lr\": }");
        var result = await dir.ReproAsync("run", "--params-file", "params.json", "--", "true");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("params.json", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("malformed JSON", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_metrics_file_keeps_the_run_and_warns()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        var run = await dir.ReproAsync("run", "--metrics", "m.json", "--", "sh", "-c", "echo '{broken' > m.json");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("warning: metrics file m.json could not be read", run.Stderr, StringComparison.Ordinal);
        var manifest = await dir.ManifestAsync();
        Assert.Equal("ok", manifest.GetProperty("status").GetString());
        Assert.Contains(manifest.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("m.json", StringComparison.Ordinal));
        Assert.Empty(manifest.GetProperty("metrics").GetProperty("values").EnumerateObject());
    }

    [Fact]
    public async Task Unknown_runs_and_short_prefixes_are_usage_errors()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        Assert.Equal(0, (await dir.ReproAsync("run", "--", "true")).ExitCode);
        var unknown = await dir.ReproAsync("show", "does-not-exist");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("unknown run 'does-not-exist'", unknown.Stderr, StringComparison.Ordinal);
        var id = (await dir.ManifestAsync()).GetProperty("id").GetString()!;
        Assert.Equal(0, (await dir.ReproAsync("show", id[..4])).ExitCode);
        Assert.Equal(2, (await dir.ReproAsync("show", id[..3])).ExitCode);
    }

    [Fact]
    public async Task Deterministic_profile_sets_the_documented_variables_for_the_child()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        var run = await ReproProcess.RunWithAsync(dir.Path, new Dictionary<string, string?> { ["OMP_NUM_THREADS"] = "3", ["MKL_NUM_THREADS"] = null }, null,
            "run", "--deterministic", "--", "sh", "-c", "echo $CUBLAS_WORKSPACE_CONFIG $TF_DETERMINISTIC_OPS $TF_CUDNN_DETERMINISTIC $OMP_NUM_THREADS $MKL_NUM_THREADS $OPENBLAS_NUM_THREADS $MKL_CBWR");
        Assert.Equal(":4096:8 1 1 3 1 1 COMPATIBLE", run.Stdout.Trim());
        var determinism = (await dir.ManifestAsync()).GetProperty("determinism");
        Assert.True(determinism.GetProperty("enabled").GetBoolean());
        Assert.Equal("3", determinism.GetProperty("variables").GetProperty("OMP_NUM_THREADS").GetString());
    }

    [Fact]
    public async Task Secrets_in_the_environment_never_reach_the_store_or_cache()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        const string secret = "sup3r-s3cret-value-98765";
        var run = await ReproProcess.RunWithAsync(dir.Path, new Dictionary<string, string?> { ["AWS_SECRET_ACCESS_KEY"] = secret, ["TF_API_TOKEN"] = secret, ["OMP_NUM_THREADS"] = "2" }, null, "run", "--", "true");
        Assert.Equal(0, run.ExitCode);
        var environment = (await dir.ManifestAsync()).GetProperty("environment");
        Assert.Equal("[redacted]", environment.GetProperty("variables").GetProperty("AWS_SECRET_ACCESS_KEY").GetString());
        Assert.Equal("[redacted]", environment.GetProperty("variables").GetProperty("TF_API_TOKEN").GetString());
        Assert.Equal("2", environment.GetProperty("variables").GetProperty("OMP_NUM_THREADS").GetString());
        foreach (var file in Directory.EnumerateFiles(dir.Combine(".repro"), "*", SearchOption.AllDirectories))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.False(System.Text.Encoding.UTF8.GetString(bytes).Contains(secret, StringComparison.Ordinal), $"secret found in {file}");
        }
    }

    [Fact]
    public async Task Runs_lists_newest_first_and_filters_by_name_and_limit()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        await dir.ReproAsync("run", "--name", "a", "--", "true");
        await dir.ReproAsync("run", "--name", "b", "--", "true");
        await dir.ReproAsync("run", "--name", "a", "--", "true");
        var all = JsonDocument.Parse((await dir.ReproAsync("runs", "--json")).Stdout).RootElement;
        Assert.Equal(["a", "b", "a"], all.EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        Assert.Equal(2, JsonDocument.Parse((await dir.ReproAsync("runs", "--name", "a", "--json")).Stdout).RootElement.GetArrayLength());
        Assert.Equal(1, JsonDocument.Parse((await dir.ReproAsync("runs", "--limit", "1", "--json")).Stdout).RootElement.GetArrayLength());
        var table = await dir.ReproAsync("runs");
        Assert.Equal(4, table.Stdout.Trim().Split('\n').Length);
        Assert.Equal(2, (await dir.ReproAsync("runs", "--status", "weird")).ExitCode);
    }

    [Fact]
    public async Task Env_prints_the_environment_pillar_without_running_anything()
    {
        using var dir = new Workdir();
        var result = await dir.ReproAsync("env", "--json", "--python", "/usr/bin/python3");
        Assert.True(result.ExitCode == 0, result.ToString());
        var env = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.False(string.IsNullOrEmpty(env.GetProperty("cpu").GetProperty("model").GetString()));
        Assert.True(env.GetProperty("memory_bytes").GetInt64() > 0);
        Assert.False(env.GetProperty("gpu").GetProperty("present").GetBoolean());
        Assert.Equal("/usr/bin/python3", env.GetProperty("python").GetProperty("executable").GetString());
        var text = await dir.ReproAsync("env");
        Assert.Contains("cpu", text.Stdout, StringComparison.Ordinal);
    }
}
