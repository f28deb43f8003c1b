using System.Text.Json;

namespace Repro.Cli.Tests;

public sealed class PipelineEndToEndTests
{
    private const string Prepare = """
        import os, sys
        os.makedirs("data/prepared", exist_ok=True)
        rows = open("data/raw.csv").read().splitlines()[1:]
        for name, part in (("train.csv", rows[::2]), ("test.csv", rows[1::2])):
            open(os.path.join("data/prepared", name), "w").write("\n".join(part) + "\n")
        print("prepared", len(rows), "rows")
        """;

    private const string TrainScript = """
        import json, os
        lr = float(open("params.yaml").read().split("lr:")[1].split()[0])
        rows = open("data/prepared/train.csv").read().split()
        open("model.txt", "w").write(f"lr={lr} rows={len(rows)} seed={os.environ.get('REPRO_SEED')}\n")
        json.dump({"acc": round(0.5 + lr, 4)}, open("metrics.json", "w"))
        """;

    private const string ReproYaml = """
        stages:
          prepare:
            cmd: python3 prepare.py
            deps: [data/raw.csv, prepare.py]
            outs: [data/prepared]
          train:
            cmd: python3 train.py
            deps: [data/prepared, train.py]
            params: [train.lr]
            outs: [model.txt]
            metrics: [metrics.json]
            seed: 7
        """;

    private static async Task<Workdir> ProjectAsync()
    {
        var dir = new Workdir();
        await ReproProcess.GitAsync(dir.Path, "init", "-q");
        await dir.InitAsync();
        dir.Write("data/raw.csv", "x\n1\n2\n3\n4\n");
        dir.Write("prepare.py", Prepare);
        dir.Write("train.py", TrainScript);
        dir.Write("params.yaml", "train:\n  lr: 0.1\n");
        dir.Write("repro.yaml", ReproYaml);
        return dir;
    }

    private static async Task<ReproProcess.Result> OkAsync(Workdir dir, params string[] args)
    {
        var result = await dir.ReproAsync(args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    [Fact]
    public async Task Pipeline_runs_every_stage_once_records_each_as_a_run_and_then_skips_them()
    {
        using var dir = await ProjectAsync();
        var status = await dir.ReproAsync("pipeline", "status");
        Assert.Equal(1, status.ExitCode);
        Assert.Contains("prepare: changed\n  never run", status.Stdout, StringComparison.Ordinal);

        var run = await OkAsync(dir, "pipeline", "run");
        Assert.Contains("prepare: running (never run)", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("prepared 4 rows", run.Stdout, StringComparison.Ordinal);
        Assert.True(run.Stdout.IndexOf("prepare: done", StringComparison.Ordinal) < run.Stdout.IndexOf("train: running", StringComparison.Ordinal), run.Stdout);
        Assert.Equal("lr=0.1 rows=2 seed=7\n", File.ReadAllText(dir.Combine("model.txt")));

        var lockText = File.ReadAllText(dir.Combine("repro.lock"));
        var train = await dir.ManifestAsync("train");
        Assert.Equal("ok", train.GetProperty("status").GetString());
        Assert.Equal(7, train.GetProperty("seed").GetInt64());
        Assert.Equal("0.1", train.GetProperty("params").GetProperty("train.lr").GetString());
        Assert.Equal(0.6, train.GetProperty("metrics").GetProperty("values").GetProperty("acc").GetDouble());
        Assert.Equal("train", train.GetProperty("tags").GetProperty("stage").GetString());
        Assert.Contains($"run: {train.GetProperty("id").GetString()}", lockText, StringComparison.Ordinal);
        var model = train.GetProperty("outputs").EnumerateArray().Single(o => o.GetProperty("path").GetString() == "model.txt");
        Assert.Contains($"- path: model.txt\n      sha256: {model.GetProperty("sha256").GetString()}\n      size: 21\n", lockText, StringComparison.Ordinal);
        Assert.Contains("params:\n      params.yaml:\n        train.lr: 0.1\n", lockText, StringComparison.Ordinal);
        Assert.Contains("- path: data/prepared\n      sha256: ", lockText, StringComparison.Ordinal);
        Assert.Contains("nfiles: 2", lockText, StringComparison.Ordinal);

        var again = await OkAsync(dir, "pipeline", "run");
        Assert.Equal("prepare: unchanged, skipped\ntrain: unchanged, skipped\n", again.Stdout);
        Assert.Equal(lockText, File.ReadAllText(dir.Combine("repro.lock")));
        Assert.Equal(0, (await dir.ReproAsync("pipeline", "status")).ExitCode);
        Assert.Equal(2, JsonDocument.Parse((await dir.ReproAsync("runs", "--json")).Stdout).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Only_stages_whose_param_dep_or_out_changed_re_run()
    {
        using var dir = await ProjectAsync();
        await OkAsync(dir, "pipeline", "run");

        dir.Write("params.yaml", "train:\n  lr: 0.25\n");
        var status = await dir.ReproAsync("pipeline", "status", "--json");
        Assert.Equal(1, status.ExitCode);
        var stages = JsonDocument.Parse(status.Stdout).RootElement;
        Assert.Equal("unchanged", stages[0].GetProperty("status").GetString());
        Assert.Equal("changed", stages[1].GetProperty("status").GetString());
        Assert.Equal("param train.lr modified (0.1 → 0.25)", stages[1].GetProperty("changes")[0].GetString());

        var run = await OkAsync(dir, "pipeline", "run");
        Assert.Contains("prepare: unchanged, skipped", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("train: running (param train.lr modified (0.1 → 0.25))", run.Stdout, StringComparison.Ordinal);

        // Formatting params.yaml differently changes nothing.
        dir.Write("params.yaml", "# learning rate\ntrain:\n    lr: 0.250\n");
        Assert.Equal(0, (await dir.ReproAsync("pipeline", "status")).ExitCode);

        dir.Write("data/raw.csv", "x\n1\n2\n3\n4\n5\n6\n");
        run = await OkAsync(dir, "pipeline", "run");
        Assert.Contains("prepare: running (dep data/raw.csv modified)", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("train: running (dep data/prepared modified)", run.Stdout, StringComparison.Ordinal);

        File.Delete(dir.Combine("model.txt"));
        status = await dir.ReproAsync("pipeline", "status");
        Assert.Contains("train: changed\n  out model.txt deleted", status.Stdout, StringComparison.Ordinal);
        run = await OkAsync(dir, "pipeline", "run");
        Assert.Contains("train: running (out model.txt deleted)", run.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(dir.Combine("model.txt")));

        dir.Write("repro.yaml", ReproYaml.Replace("python3 prepare.py", "python3 prepare.py --again", StringComparison.Ordinal));
        Assert.Contains("prepare: changed\n  cmd changed", (await dir.ReproAsync("pipeline", "status")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dry_run_says_what_would_run_and_why_and_writes_nothing()
    {
        using var dir = await ProjectAsync();
        var dry = await OkAsync(dir, "pipeline", "run", "--dry-run");
        Assert.Contains("prepare: would run (never run)", dry.Stdout, StringComparison.Ordinal);
        Assert.Contains("train: would run (never run; upstream stage prepare would run)", dry.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.Combine("repro.lock")));
        Assert.False(Directory.Exists(dir.Combine("data", "prepared")));
        Assert.Contains("no runs recorded", (await dir.ReproAsync("runs")).Stdout, StringComparison.Ordinal);

        await OkAsync(dir, "pipeline", "run");
        dir.Write("data/raw.csv", "x\n9\n8\n");
        var lockText = File.ReadAllText(dir.Combine("repro.lock"));
        dry = await OkAsync(dir, "pipeline", "run", "--dry-run");
        Assert.Contains("prepare: would run (dep data/raw.csv modified)", dry.Stdout, StringComparison.Ordinal);
        Assert.Contains("train: would run (upstream stage prepare would run)", dry.Stdout, StringComparison.Ordinal);
        Assert.Equal(lockText, File.ReadAllText(dir.Combine("repro.lock")));
        Assert.Equal(2, JsonDocument.Parse((await dir.ReproAsync("runs", "--json")).Stdout).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Targets_limit_the_run_to_those_stages_and_their_upstream_and_force_re_runs_them()
    {
        using var dir = await ProjectAsync();
        dir.Write("repro.yaml", ReproYaml + "\n  report:\n    cmd: cp model.txt report.txt\n    deps: [model.txt]\n    outs: [report.txt]\n");
        var run = await OkAsync(dir, "pipeline", "run", "train");
        Assert.Contains("train: done", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("report", run.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.Combine("report.txt")));

        var forced = await OkAsync(dir, "pipeline", "run", "--force", "prepare");
        Assert.Contains("prepare: running (forced)", forced.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("train", forced.Stdout, StringComparison.Ordinal);

        var unknown = await dir.ReproAsync("pipeline", "run", "nope");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no stage named 'nope'", unknown.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_stage_stops_the_pipeline_with_its_exit_code_and_keeps_its_lock_entry()
    {
        using var dir = await ProjectAsync();
        await OkAsync(dir, "pipeline", "run");
        var lockText = File.ReadAllText(dir.Combine("repro.lock"));
        dir.Write("prepare.py", "import sys\nprint('broken')\nsys.exit(7)\n");
        var run = await dir.ReproAsync("pipeline", "run");
        Assert.Equal(7, run.ExitCode);
        Assert.Contains("stage 'prepare' failed (exit 7)", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("train: running", run.Stdout, StringComparison.Ordinal);
        Assert.Equal(lockText, File.ReadAllText(dir.Combine("repro.lock")));
        var runs = JsonDocument.Parse((await dir.ReproAsync("runs", "--json")).Stdout).RootElement;
        Assert.Equal("failed", runs[0].GetProperty("status").GetString());
        Assert.Equal(1, (await dir.ReproAsync("pipeline", "status")).ExitCode);
    }

    [Fact]
    public async Task A_stage_that_does_not_write_its_out_fails_with_exit_3_and_no_lock_entry()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        dir.Write("repro.yaml", "stages:\n  a:\n    cmd: echo nothing\n    outs: [never.txt]\n  b:\n    cmd: cp never.txt b.txt\n    deps: [never.txt]\n    outs: [b.txt]\n");
        var run = await dir.ReproAsync("pipeline", "run");
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("stage 'a' exited 0 but did not write its out never.txt", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("b: running", run.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.Combine("repro.lock")));
    }

    [Fact]
    public async Task A_stale_out_is_removed_before_its_stage_runs_but_kept_in_the_cache_and_persist_outs_stay()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        dir.Write("in.txt", "v1\n");
        dir.Write("repro.yaml", "stages:\n  a:\n    cmd: test -e log.txt && echo again >> log.txt || echo first > log.txt; if [ ! -e stale.txt ]; then cat in.txt > out.txt; fi\n    deps: [in.txt]\n    outs: [out.txt, {log.txt: {persist: true}}]\n");
        await OkAsync(dir, "pipeline", "run");
        var firstOut = File.ReadAllText(dir.Combine("out.txt"));

        // From now on the command no longer writes out.txt: the old file must not pass for a fresh one.
        dir.Write("stale.txt", "x");
        dir.Write("in.txt", "v2\n");
        var rerun = await dir.ReproAsync("pipeline", "run");
        Assert.Equal(3, rerun.ExitCode);
        Assert.Contains("did not write its out out.txt", rerun.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.Combine("out.txt")));
        Assert.Equal("first\nagain\n", File.ReadAllText(dir.Combine("log.txt")));

        // The removed out was cached first: its bytes are still in the content cache.
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(firstOut)));
        Assert.True(File.Exists(dir.Combine($".repro/cache/sha256/{hash[..2]}/{hash[2..]}")));
    }

    [Fact]
    public async Task A_stage_run_can_be_verified_like_any_run()
    {
        using var dir = await ProjectAsync();
        await ReproProcess.GitAsync(dir.Path, "add", "-A");
        await ReproProcess.GitAsync(dir.Path, "commit", "-qm", "pipeline");
        await OkAsync(dir, "pipeline", "run");
        var verify = await dir.ReproAsync("verify", "train", "--json");
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Equal("IDENTICAL", JsonDocument.Parse(verify.Stdout).RootElement.GetProperty("verdict").GetString());
    }

    [Theory]
    [InlineData("stages:\n  a:\n    cmd: cp b.txt a.txt\n    deps: [b.txt]\n    outs: [a.txt]\n  b:\n    cmd: cp a.txt b.txt\n    deps: [a.txt]\n    outs: [b.txt]\n", "repro.yaml: the stages form a cycle: a -> b -> a", true)]
    [InlineData("stages:\n  a:\n    cmd: cat missing.csv\n    deps: [missing.csv]\n", "stage 'a': dependency missing.csv not found, and no stage writes it", false)]
    [InlineData("stages:\n  a:\n    cmd: cat x\n    deps: [../outside.txt]\n", "repro.yaml: stage 'a': dep '../outside.txt' is outside the workspace", true)]
    [InlineData("stages:\n  a:\n    cmd: echo\n    outz: [x]\n", "repro.yaml: stage 'a': unknown key 'outz' (known: cmd, wdir, deps", true)]
    public async Task Bad_pipelines_fail_with_one_line_exit_2_and_write_nothing(string yaml, string message, bool statusFails)
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        dir.Write("repro.yaml", yaml);
        foreach (var args in statusFails ? new[] { new[] { "pipeline", "run" }, ["pipeline", "status"] } : [["pipeline", "run"]])
        {
            var result = await dir.ReproAsync(args);
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.StartsWith($"repro: {message}", result.Stderr, StringComparison.Ordinal);
            Assert.Single(result.Stderr.Trim().Split('\n'));
        }

        Assert.False(File.Exists(dir.Combine("repro.lock")));
        Assert.Contains("no runs recorded", (await dir.ReproAsync("runs")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_lock_is_one_line_and_is_left_as_it_was()
    {
        using var dir = await ProjectAsync();
        dir.Write("repro.lock", "schema: '1'\nstages:\n  prepare:\n    cmd: [unclosed\n");
        var result = await dir.ReproAsync("pipeline", "run");
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("repro: repro.lock: malformed YAML at line", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.Equal("schema: '1'\nstages:\n  prepare:\n    cmd: [unclosed\n", File.ReadAllText(dir.Combine("repro.lock")));
    }
}
