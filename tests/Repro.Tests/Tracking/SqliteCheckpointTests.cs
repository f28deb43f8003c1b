using System.Globalization;

namespace Repro.Tests.Tracking;

/// <summary>
/// A server's SQLite store checkpoints in the background: what its writers commit reaches the
/// database file without a commit filling the WAL to SQLite's own checkpoint, and the WAL stays
/// bounded under one writer's commits that never pause (the commit past 1000 pages still starts
/// it over).
/// </summary>
public sealed class SqliteCheckpointTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task A_server_store_checkpoints_beside_its_writers_and_commits_reach_the_file()
    {
        var path = _dir.Combine("repro.db");
        await using (var database = await SqlDatabase.OpenSqliteAsync(path, None))
        {
            database.StartBackgroundMaintenance();

            await ScalarAsync(database, "CREATE TABLE t(x TEXT)");
            var before = new FileInfo(path).Length;
            for (var i = 0; i < 20; i++)
            {
                // 20 commits of 100 KB each: 500 pages, fewer than SQLite's own checkpoint waits for.
                await ScalarAsync(database, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) INSERT INTO t(x) SELECT hex(randomblob(1000)) FROM n");
            }

            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (new FileInfo(path).Length < before + (1 << 20) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            Assert.True(new FileInfo(path).Length >= before + (1 << 20), $"the database file stayed at {new FileInfo(path).Length} bytes");
            Assert.Equal(1000L, await ScalarAsync(database, "SELECT COUNT(*) FROM t"));

            // 40 MB more, commit after commit with no pause, as the server's one write turn
            // gives them: the WAL starts over as it goes.
            for (var i = 0; i < 400; i++)
            {
                await ScalarAsync(database, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) INSERT INTO t(x) SELECT hex(randomblob(1000)) FROM n");
            }

            Assert.True(new FileInfo(path + "-wal").Length < 16 << 20, $"the WAL grew to {new FileInfo(path + "-wal").Length} bytes");
        }

        await using var again = await SqlDatabase.OpenSqliteAsync(path, None);
        Assert.Equal(21000L, await ScalarAsync(again, "SELECT COUNT(*) FROM t"));
    }

    public void Dispose() => _dir.Dispose();

    private static async Task<long> ScalarAsync(SqlDatabase database, string sql)
    {
        await using var connection = await database.OpenConnectionAsync(None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync(None);
        return value is null or DBNull ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }
}
