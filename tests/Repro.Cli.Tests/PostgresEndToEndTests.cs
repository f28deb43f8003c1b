using System.Text.Json;
using Repro.Tests.Shared;

namespace Repro.Cli.Tests;

/// <summary>The real <c>repro</c> against a real PostgreSQL server: init --store, run, runs, show, verify, many processes at once, and a run verified on a second machine.</summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresEndToEndTests(PostgresServer server)
{
    [Fact]
    public async Task Init_with_a_store_url_then_run_runs_show_and_verify_live_in_postgres_and_the_password_appears_nowhere()
    {
        var database = await server.CreateDatabaseAsync();
        using var dir = new Workdir();
        var noPassword = new Dictionary<string, string?> { ["PGPASSWORD"] = null, ["PGPASSFILE"] = null, ["REPRO_STORE"] = null };
        var withPassword = $"postgresql://{PostgresServer.User}:{Uri.EscapeDataString(server.Password)}@{PostgresServer.Host}:{server.Port}/{database}";
        var outputs = new List<ReproProcess.Result>();

        var init = await ReproProcess.RunWithAsync(dir.Path, noPassword, null, "init", "--store", withPassword);
        outputs.Add(init);
        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.Contains($"runs are stored in {server.Url(database)}", init.Stdout, StringComparison.Ordinal);
        Assert.Contains("PGPASSWORD", init.Stderr, StringComparison.Ordinal);
        var config = await File.ReadAllTextAsync(dir.Combine(".repro", "config.yaml"));
        Assert.Contains($"store: \"{server.Url(database)}\"", config, StringComparison.Ordinal);

        // Without a password the server refuses: exit 3 naming the server and how to log in.
        var refused = await ReproProcess.RunWithAsync(dir.Path, noPassword, null, "runs");
        outputs.Add(refused);
        Assert.Equal(3, refused.ExitCode);
        Assert.Contains($"{PostgresServer.Host}:{server.Port}", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("PGPASSWORD", refused.Stderr, StringComparison.Ordinal);

        var env = server.Variables;
        dir.Write("score.sh", "echo '{\"acc\": 0.91}' > metrics.json\necho model > model.txt\n");
        var run = await ReproProcess.RunWithAsync(dir.Path, env, null, "run", "--name", "pg", "--out", "model.txt", "--metrics", "metrics.json", "--", "sh", "score.sh");
        outputs.Add(run);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.False(File.Exists(dir.Combine(".repro", "repro.db")), "the runs must go to PostgreSQL, not to a SQLite file");
        Assert.Equal(1L, await server.ExecuteAsync(database, "SELECT COUNT(*) FROM runs WHERE name = 'pg'"));

        var runs = await ReproProcess.RunWithAsync(dir.Path, env, null, "runs");
        outputs.Add(runs);
        Assert.True(runs.ExitCode == 0, runs.ToString());
        Assert.Contains("pg", runs.Stdout, StringComparison.Ordinal);
        var show = await ReproProcess.RunWithAsync(dir.Path, env, null, "show", "pg", "--json");
        outputs.Add(show);
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Equal(0.91, JsonDocument.Parse(show.Stdout).RootElement.GetProperty("metrics").GetProperty("values").GetProperty("acc").GetDouble());

        var verify = await ReproProcess.RunWithAsync(dir.Path, env, null, "verify", "pg");
        outputs.Add(verify);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("IDENTICAL", verify.Stdout, StringComparison.Ordinal);
        outputs.Add(await ReproProcess.RunWithAsync(dir.Path, env, null, "show", "pg"));
        var audit = await ReproProcess.RunWithAsync(dir.Path, env, null, "audit", "verify");
        outputs.Add(audit);
        Assert.True(audit.ExitCode == 0, audit.ToString());

        // REPRO_STORE with the password in it wins over config.yaml and is redacted from what the environment probe records.
        var fromVariable = new Dictionary<string, string?> { ["PGPASSWORD"] = null, ["REPRO_STORE"] = withPassword };
        var viaVariable = await ReproProcess.RunWithAsync(dir.Path, fromVariable, null, "runs");
        outputs.Add(viaVariable);
        Assert.True(viaVariable.ExitCode == 0, viaVariable.ToString());
        var probe = await ReproProcess.RunWithAsync(dir.Path, new Dictionary<string, string?> { ["PGPASSWORD"] = server.Password, ["REPRO_STORE"] = withPassword }, null, "env", "--json");
        outputs.Add(probe);
        Assert.True(probe.ExitCode == 0, probe.ToString());

        foreach (var output in outputs)
        {
            Assert.DoesNotContain(server.Password, output.Stdout + output.Stderr, StringComparison.Ordinal);
        }

        foreach (var file in Directory.EnumerateFiles(dir.Combine(".repro"), "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(server.Password, await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        }

        var stored = (string)(await server.ExecuteAsync(database, "SELECT string_agg(manifest, '') FROM runs"))!;
        Assert.DoesNotContain(server.Password, stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eight_repro_processes_recording_at_once_into_one_database_lose_no_run_and_keep_the_chain()
    {
        var database = await server.CreateDatabaseAsync();
        var machines = Enumerable.Range(0, 8).Select(_ => new Workdir()).ToList();
        try
        {
            foreach (var machine in machines)
            {
                var init = await ReproProcess.RunWithAsync(machine.Path, server.Variables, null, "init", "--store", server.Url(database));
                Assert.True(init.ExitCode == 0, init.ToString());
            }

            const int RunsEach = 3;
            var results = await Task.WhenAll(machines.Select((machine, index) => Task.Run(async () =>
            {
                var exits = new List<ReproProcess.Result>();
                for (var i = 0; i < RunsEach; i++)
                {
                    exits.Add(await ReproProcess.RunWithAsync(machine.Path, server.Variables, null, "run", "--name", $"m{index}", "--", "true"));
                }

                return exits;
            })));
            foreach (var result in results.SelectMany(r => r))
            {
                Assert.True(result.ExitCode == 0, result.ToString());
            }

            var list = await ReproProcess.RunWithAsync(machines[0].Path, server.Variables, null, "runs", "--limit", "0", "--json");
            Assert.True(list.ExitCode == 0, list.ToString());
            Assert.Equal(8 * RunsEach, JsonDocument.Parse(list.Stdout).RootElement.GetArrayLength());
            var audit = await ReproProcess.RunWithAsync(machines[7].Path, server.Variables, null, "audit", "verify");
            Assert.True(audit.ExitCode == 0, audit.ToString());
            Assert.Contains($"intact: {8 * RunsEach} entries", audit.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            machines.ForEach(m => m.Dispose());
        }
    }

    [Fact]
    public async Task A_run_recorded_on_machine_a_is_verified_on_machine_b_which_fetches_its_blobs_from_the_shared_remote()
    {
        var database = await server.CreateDatabaseAsync();
        var env = server.Variables;
        using var remote = new Workdir();
        using var a = new Workdir();
        await ReproProcess.GitAsync(a.Path, "init", "-q", "-b", "main");
        Assert.Equal(0, (await ReproProcess.RunWithAsync(a.Path, env, null, "init", "--store", server.Url(database))).ExitCode);
        Assert.Equal(0, (await ReproProcess.RunWithAsync(a.Path, env, null, "remote", "add", "shared", "file://" + remote.Path)).ExitCode);
        a.Write(".gitignore", "model.txt\nmetrics.json\n");
        a.Write("train.sh", "wc -l < data/train.csv > model.txt\necho \"{\\\"rows\\\": $(cat model.txt)}\" > metrics.json\n");
        a.Write("data/train.csv", "x,y\n1,2\n3,4\n");
        Assert.Equal(0, (await ReproProcess.RunWithAsync(a.Path, env, null, "data", "add", "data/train.csv")).ExitCode);
        await ReproProcess.GitAsync(a.Path, "add", "-A");
        await ReproProcess.GitAsync(a.Path, "commit", "-q", "-m", "train");

        var run = await ReproProcess.RunWithAsync(a.Path, env, null, "run", "--name", "fit", "--dep", "data/train.csv", "--out", "model.txt", "--metrics", "metrics.json", "--", "sh", "train.sh");
        Assert.True(run.ExitCode == 0, run.ToString());
        var push = await ReproProcess.RunWithAsync(a.Path, env, null, "data", "push");
        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains("of 1 recorded run", push.Stdout, StringComparison.Ordinal);

        // A second run whose new input never reaches the remote.
        a.Write("data/extra.csv", "only on a\n");
        var unpushed = await ReproProcess.RunWithAsync(a.Path, env, null, "run", "--name", "local-only", "--dep", "data/extra.csv", "--", "cat", "data/extra.csv");
        Assert.True(unpushed.ExitCode == 0, unpushed.ToString());

        // Machine B: a clone of the repository (config.yaml names the store and the remote), an empty cache.
        using var b = new Workdir();
        await ReproProcess.GitAsync(b.Path, "clone", "-q", a.Path, ".");
        Assert.False(File.Exists(b.Combine("data", "train.csv")));
        Assert.Equal(0, (await ReproProcess.RunWithAsync(b.Path, env, null, "init")).ExitCode);
        var verify = await ReproProcess.RunWithAsync(b.Path, env, null, "verify", "fit");
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("IDENTICAL", verify.Stdout, StringComparison.Ordinal);
        Assert.Contains("fetched", verify.Stderr, StringComparison.Ordinal);

        var missing = await ReproProcess.RunWithAsync(b.Path, env, null, "verify", "local-only");
        Assert.Equal(3, missing.ExitCode);
        Assert.Contains("not in the cache", missing.Stdout + missing.Stderr, StringComparison.Ordinal);

        var log = await ReproProcess.RunWithAsync(a.Path, env, null, "show", "fit");
        Assert.Contains("IDENTICAL", log.Stdout, StringComparison.Ordinal);
    }
}
