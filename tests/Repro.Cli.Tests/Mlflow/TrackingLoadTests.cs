namespace Repro.Cli.Tests.Mlflow;

/// <summary>The small tracking-server load against `repro ui` on the workspace's SQLite store.</summary>
public sealed class TrackingLoadTests
{
    [Fact]
    public async Task Repro_ui_on_sqlite_under_four_concurrent_clients_answers_every_request_and_loses_no_point()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        await TrackingLoadRun.AssertNothingLostAsync(dir, null);

        // Group commits, packed history and background checkpoints leave a sound file behind.
        Assert.Equal("ok", await Faults.StoreHealth.IntegrityAsync(Path.Combine(dir.Path, ".repro", "repro.db")));
    }
}
