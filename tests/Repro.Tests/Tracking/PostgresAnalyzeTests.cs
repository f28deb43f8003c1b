using System.Globalization;
using Repro.Interop.Tracking;
using Repro.Storage.Sql.Tracking;
using Repro.Tests.Shared;

namespace Repro.Tests.Tracking;

/// <summary>
/// A server's PostgreSQL store refreshes the planner's statistics of the searched tables after a
/// burst of writes, without waiting for autovacuum (off for these tables here, so only the
/// server's loop can analyse them), and leaves alone the tables that hardly changed.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresAnalyzeTests(PostgresServer server)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_burst_of_runs_is_analysed_by_the_server_and_a_table_it_did_not_touch_is_not()
    {
        var name = await server.CreateDatabaseAsync();
        await using var database = await server.OpenAsync(name);
        await using var store = await SqlRunStore.OpenAsync(database, ownsDatabase: false, None);
        using var tracking = await TrackingStore.OpenAsync(database, store, TimeProvider.System, "file:///srv/mlartifacts", None);
        foreach (var table in new[] { "runs", "params", "tags", "tracking_runs", "tracking_latest", "metrics" })
        {
            await server.ExecuteAsync(name, $"ALTER TABLE {table} SET (autovacuum_enabled = false)");
        }

        database.StartBackgroundMaintenance();
        for (var i = 0; i < 300; i++)
        {
            var run = (await tracking.CreateRunAsync(new NewRun { RunName = "burst" }, None)).Info.RunId;
            await tracking.LogBatchAsync(run, [], [new("lr", (i % 2 == 0 ? 0.01 : 0.1).ToString(CultureInfo.InvariantCulture))], [], None);
        }

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await AnalysedAsync(name, "params") || !await AnalysedAsync(name, "runs"))
        {
            Assert.True(DateTime.UtcNow < deadline, "params and runs were not analysed within 60 s of 300 new runs");
            await Task.Delay(200);
        }

        Assert.False(await AnalysedAsync(name, "tracking_latest"));
        Assert.Equal(300L, Convert.ToInt64(await server.ExecuteAsync(name, "SELECT reltuples::bigint FROM pg_class WHERE relname = 'params'"), CultureInfo.InvariantCulture));
    }

    private async Task<bool> AnalysedAsync(string database, string table) =>
        await server.ExecuteAsync(database, $"SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = '{table}'") is true;
}
