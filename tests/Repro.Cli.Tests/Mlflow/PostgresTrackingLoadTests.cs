using Repro.Tests.Shared;

namespace Repro.Cli.Tests.Mlflow;

/// <summary>The small tracking-server load against `repro ui` on a fresh PostgreSQL database.</summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresTrackingLoadTests(PostgresServer postgres)
{
    [Fact]
    public async Task Repro_ui_on_postgresql_under_four_concurrent_clients_answers_every_request_and_loses_no_point()
    {
        using var dir = new Workdir();
        var database = await postgres.CreateDatabaseAsync();
        var init = await ReproProcess.RunWithAsync(dir.Path, postgres.Variables, null, "init", "--store", postgres.Url(database));
        Assert.True(init.ExitCode == 0, init.ToString());
        await TrackingLoadRun.AssertNothingLostAsync(dir, postgres.Variables);
    }
}
