using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Repro.Cli.Tests;

/// <summary>The audit log through the real binary: every run and verdict logged; tampering with the store detected.</summary>
public sealed class AuditEndToEndTests
{
    [Fact]
    public async Task Runs_and_verifications_are_logged_and_a_changed_metric_breaks_the_chain()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        dir.Write("score.sh", "echo '{\"acc\": 0.91}' > metrics.json\n");
        Assert.Equal(0, (await dir.ReproAsync("run", "--name", "s", "--metrics", "metrics.json", "--", "sh", "score.sh")).ExitCode);
        var verify = await dir.ReproAsync("verify", "s");
        Assert.True(verify.ExitCode == 0, verify.ToString());

        var log = await dir.ReproAsync("audit", "log", "--json");
        Assert.Equal(0, log.ExitCode);
        var entries = JsonDocument.Parse(log.Stdout).RootElement.EnumerateArray().ToList();
        Assert.Equal(["run", "verification", "verdict"], entries.Select(e => e.GetProperty("kind").GetString()));
        var run = await dir.ManifestAsync("s");
        Assert.Equal(run.GetProperty("id").GetString(), entries[0].GetProperty("subject").GetString());

        var show = await dir.ReproAsync("show", "s");
        Assert.Contains("verifications (newest first)", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("IDENTICAL", show.Stdout, StringComparison.Ordinal);

        var intact = await dir.ReproAsync("audit", "verify");
        Assert.True(intact.ExitCode == 0, intact.ToString());
        Assert.Contains("intact: 3 entries", intact.Stdout, StringComparison.Ordinal);

        await using (var connection = new SqliteConnection($"Data Source={dir.Combine(".repro", "repro.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE runs SET manifest = replace(manifest, '\"acc\":0.91', '\"acc\":0.99') WHERE name = 's'";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var broken = await dir.ReproAsync("audit", "verify");
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("BROKEN", broken.Stdout, StringComparison.Ordinal);
        Assert.Contains("entry 1", broken.Stdout, StringComparison.Ordinal);
        var json = await dir.ReproAsync("audit", "verify", "--json");
        var result = JsonDocument.Parse(json.Stdout).RootElement;
        Assert.False(result.GetProperty("intact").GetBoolean());
        Assert.Equal(1, result.GetProperty("first_broken").GetProperty("seq").GetInt64());
    }
}
