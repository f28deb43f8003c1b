using System.Globalization;

namespace Repro.Tests.Tracking;

/// <summary>
/// A server's SQLite store checkpoints in the background: its writers never checkpoint inside a
/// commit (SQLite's own checkpoint would run there, holding the write lock), and what they commit
/// still reaches the database file.
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
            Assert.Equal(1000L, await ScalarAsync(database, "PRAGMA wal_autocheckpoint"));

            database.StartBackgroundMaintenance();
            Assert.Equal(0L, await ScalarAsync(database, "PRAGMA wal_autocheckpoint"));

            await ScalarAsync(database, "CREATE TABLE t(x TEXT)");
            var before = new FileInfo(path).Length;
            for (var i = 0; i < 20; i++)
            {
                // 20 commits of 100 KB each: 500 pages the WAL holds until a checkpoint copies them.
                await ScalarAsync(database, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) INSERT INTO t(x) SELECT hex(randomblob(1000)) FROM n");
            }

            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (new FileInfo(path).Length < before + (1 << 20) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            Assert.True(new FileInfo(path).Length >= before + (1 << 20), $"the database file stayed at {new FileInfo(path).Length} bytes");
            Assert.Equal(1000L, await ScalarAsync(database, "SELECT COUNT(*) FROM t"));
        }

        // Another process (or command) opening the store checkpoints as SQLite does.
        await using var again = await SqlDatabase.OpenSqliteAsync(path, None);
        Assert.Equal(1000L, await ScalarAsync(again, "PRAGMA wal_autocheckpoint"));
        Assert.Equal(1000L, await ScalarAsync(again, "SELECT COUNT(*) FROM t"));
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
