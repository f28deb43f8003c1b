using System.Text.Json;

namespace Repro.Cli.Tests;

/// <summary>`repro model` through the real binary: register an output of a real run in a real git repository, move an alias, answer "which data and code".</summary>
public sealed class ModelEndToEndTests
{
    [Fact]
    public async Task A_registered_model_answers_which_data_and_code_produced_it()
    {
        using var dir = new Workdir();
        await ReproProcess.GitAsync(dir.Path, "init", "-q", "-b", "main");
        await ReproProcess.GitAsync(dir.Path, "config", "user.email", "t@example.com");
        await ReproProcess.GitAsync(dir.Path, "config", "user.name", "t");
        dir.Write("data.csv", "x,y\n1,2\n3,4\n");
        dir.Write("train.sh", "cat data.csv | wc -l > model.bin\necho '{\"acc\": 0.93}' > metrics.json\n");
        dir.Write(".gitignore", "model.bin\nmetrics.json\n");
        await dir.InitAsync();
        await ReproProcess.GitAsync(dir.Path, "add", "-A");
        await ReproProcess.GitAsync(dir.Path, "commit", "-q", "-m", "train");
        var commit = (await ReproProcess.GitAsync(dir.Path, "rev-parse", "HEAD")).Trim();
        var run = await dir.ReproAsync("run", "--name", "train", "--dep", "data.csv", "--out", "model.bin", "--metrics", "metrics.json", "--param", "lr=0.01", "--", "sh", "train.sh");
        Assert.True(run.ExitCode == 0, run.ToString());

        var register = await dir.ReproAsync("model", "register", "fraud", "train", "--out", "model.bin", "--alias", "champion");
        Assert.True(register.ExitCode == 0, register.ToString());
        Assert.Contains("registered fraud version 1 (@champion): model.bin", register.Stdout, StringComparison.Ordinal);
        Assert.Contains("has not been verified yet", register.Stderr, StringComparison.Ordinal);

        var verify = await dir.ReproAsync("verify", "train");
        Assert.True(verify.ExitCode == 0, verify.ToString());
        var second = await dir.ReproAsync("model", "register", "fraud", "@last", "--out", "./model.bin");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("registered fraud version 2", second.Stdout, StringComparison.Ordinal);

        var show = await dir.ReproAsync("model", "show", "fraud@champion");
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains("model fraud version 1 (@champion)", show.Stdout, StringComparison.Ordinal);
        Assert.Contains($"git commit {commit} on main", show.Stdout, StringComparison.Ordinal);
        Assert.Contains($"data.csv  file  12 B  sha256 {ReproProcess.Sha256("x,y\n1,2\n3,4\n")}", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("lr=0.01", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("acc=0.93", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("(after registration)", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("unchanged since registration", show.Stdout, StringComparison.Ordinal);

        var json = JsonDocument.Parse((await dir.ReproAsync("model", "show", "fraud/1", "--json")).Stdout).RootElement;
        var version = json.GetProperty("version");
        Assert.Equal(1, version.GetProperty("version").GetInt64());
        Assert.Equal(commit, version.GetProperty("code").GetProperty("commit").GetString());
        Assert.False(version.GetProperty("code").GetProperty("dirty").GetBoolean());
        Assert.Equal(ReproProcess.Sha256("3\n"), version.GetProperty("output").GetProperty("sha256").GetString());
        Assert.Equal("data.csv", version.GetProperty("data")[0].GetProperty("path").GetString());
        Assert.Equal((await dir.ManifestAsync("train")).GetProperty("id").GetString(), version.GetProperty("run").GetProperty("id").GetString());

        var alias = await dir.ReproAsync("model", "alias", "fraud@champion", "2");
        Assert.True(alias.ExitCode == 0, alias.ToString());
        Assert.Contains("fraud@champion -> version 2 (was version 1)", alias.Stdout, StringComparison.Ordinal);

        var list = await dir.ReproAsync("model", "list");
        Assert.Contains("fraud", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("@champion=2", list.Stdout, StringComparison.Ordinal);
        var listJson = JsonDocument.Parse((await dir.ReproAsync("model", "list", "--json")).Stdout).RootElement;
        Assert.Equal(2, listJson[0].GetProperty("latest").GetInt64());

        var audit = await dir.ReproAsync("audit", "verify");
        Assert.True(audit.ExitCode == 0, audit.ToString());
        var log = JsonDocument.Parse((await dir.ReproAsync("audit", "log", "--json")).Stdout).RootElement;
        Assert.Equal(["fraud/1", "fraud/2"], log.EnumerateArray().Where(e => e.GetProperty("kind").GetString() == "model").Select(e => e.GetProperty("subject").GetString()));
    }

    [Fact]
    public async Task Undeclared_outputs_failed_and_unknown_runs_and_unknown_models_exit_2_with_one_line()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        dir.Write("fail.sh", "echo model > model.bin\nexit 3\n");
        Assert.Equal(3, (await dir.ReproAsync("run", "--name", "bad", "--out", "model.bin", "--", "sh", "fail.sh")).ExitCode);

        var failed = await dir.ReproAsync("model", "register", "m", "bad", "--out", "model.bin");
        Assert.Equal(2, failed.ExitCode);
        Assert.Contains("did not succeed (status failed, exit code 3)", failed.Stderr, StringComparison.Ordinal);
        var undeclared = await dir.ReproAsync("model", "register", "m", "bad", "--out", "weights.bin", "--allow-failed");
        Assert.Equal(2, undeclared.ExitCode);
        Assert.Contains("did not declare the output 'weights.bin' (its outputs: model.bin)", undeclared.Stderr, StringComparison.Ordinal);
        var unknownRun = await dir.ReproAsync("model", "register", "m", "nosuchrun", "--out", "model.bin");
        Assert.Equal(2, unknownRun.ExitCode);
        Assert.Contains("unknown run 'nosuchrun'", unknownRun.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, (await dir.ReproAsync("model", "register", "m", "bad", "--out", "model.bin", "--allow-failed")).ExitCode);

        var unknownModel = await dir.ReproAsync("model", "show", "nope");
        Assert.Equal(2, unknownModel.ExitCode);
        Assert.Contains("unknown model 'nope'", unknownModel.Stderr, StringComparison.Ordinal);
        var badAlias = await dir.ReproAsync("model", "alias", "m", "1");
        Assert.Equal(2, badAlias.ExitCode);
        Assert.Contains("give the alias as NAME@ALIAS", badAlias.Stderr, StringComparison.Ordinal);
        Assert.Single(badAlias.Stderr.Trim().Split('\n'));
    }
}
