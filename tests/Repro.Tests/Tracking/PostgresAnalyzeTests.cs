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
        Assert.True(database.AnalyzedTables >= 2);
        Assert.Equal(300L, Convert.ToInt64(await server.ExecuteAsync(name, "SELECT reltuples::bigint FROM pg_class WHERE relname = 'params'"), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_user_who_may_not_analyse_the_tables_leaves_them_to_autovacuum_and_keeps_writing()
    {
        // The tables belong to the superuser that made them; the server logs in as a user who
        // may read and write them but neither owns them nor the database.
        var name = await server.CreateDatabaseAsync();
        await using (var owner = await server.OpenAsync(name))
        await using (var made = await SqlRunStore.OpenAsync(owner, ownsDatabase: false, None))
        using (await TrackingStore.OpenAsync(owner, made, TimeProvider.System, "file:///srv/mlartifacts", None))
        {
        }

        var role = "writer_" + Guid.NewGuid().ToString("N")[..8];
        await server.ExecuteAsync(name, $"CREATE ROLE {role} LOGIN PASSWORD '{role}'");
        await server.ExecuteAsync(name, $"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}");
        await server.ExecuteAsync(name, $"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}");
        foreach (var table in new[] { "runs", "params", "tags", "tracking_runs", "tracking_latest", "metrics" })
        {
            await server.ExecuteAsync(name, $"ALTER TABLE {table} SET (autovacuum_enabled = false)");
        }

        await using var database = await PostgresUrl.Parse($"postgresql://{role}@{PostgresServer.Host}:{server.Port.ToString(CultureInfo.InvariantCulture)}/{name}")
            .OpenAsync(variable => variable == "PGPASSWORD" ? role : null, None);
        await using var store = await SqlRunStore.OpenAsync(database, ownsDatabase: false, None);
        using var tracking = await TrackingStore.OpenAsync(database, store, TimeProvider.System, "file:///srv/mlartifacts", None);
        database.StartBackgroundMaintenance();
        for (var i = 0; i < 300; i++)
        {
            var run = (await tracking.CreateRunAsync(new NewRun { RunName = "burst" }, None)).Info.RunId;
            await tracking.LogBatchAsync(run, [], [new("lr", "0.1")], [], None);
        }

        // Two turns after the burst: each found the tables stale, and left them alone.
        var turns = database.AnalyzeTurns;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (database.AnalyzeTurns < turns + 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "the maintenance loop stopped turning");
            await Task.Delay(200);
        }

        Assert.Equal(0, database.AnalyzedTables);
        Assert.False(await AnalysedAsync(name, "params"));
        Assert.Equal(300L, Convert.ToInt64(await server.ExecuteAsync(name, "SELECT COUNT(*) FROM params WHERE key = 'lr'"), CultureInfo.InvariantCulture));
    }

    private async Task<bool> AnalysedAsync(string database, string table) =>
        await server.ExecuteAsync(database, $"SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = '{table}'") is true;
}
