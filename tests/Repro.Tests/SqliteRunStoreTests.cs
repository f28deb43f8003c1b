using Microsoft.Data.Sqlite;
using Repro.Storage;

namespace Repro.Tests;

public sealed class SqliteRunStoreTests : RunStoreContract
{
    protected override async Task<IRunStore> OpenAsync(TempDirectory dir) =>
        await SqliteRunStore.OpenAsync(dir.Combine("repro.db"), CancellationToken.None);

    [Fact]
    public async Task Params_metrics_steps_and_tags_are_queryable_rows()
    {
        using var dir = new TempDirectory();
        var manifest = Manifest("q");
        await using (var store = await OpenAsync(dir))
        {
            await store.SaveAsync(manifest, CancellationToken.None);
        }

        await using var connection = new SqliteConnection($"Data Source={dir.Combine("repro.db")}");
        await connection.OpenAsync();
        async Task<object?> Scalar(string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return await command.ExecuteScalarAsync();
        }

        Assert.Equal("0.1", await Scalar("SELECT value FROM params WHERE key = 'lr'"));
        Assert.Equal(0.9, await Scalar("SELECT value FROM metrics WHERE key = 'acc'"));
        Assert.Equal(2L, await Scalar("SELECT COUNT(*) FROM metric_steps WHERE key = 'loss'"));
        Assert.Equal("credit", await Scalar("SELECT value FROM tags WHERE key = 'team'"));
        Assert.Equal((long)SqliteRunStore.SchemaVersion, await Scalar("SELECT MAX(version) FROM schema_version"));
        Assert.Equal("wal", await Scalar("PRAGMA journal_mode"));
    }

    [Fact]
    public async Task A_store_from_a_newer_repro_is_refused_with_a_clear_message()
    {
        using var dir = new TempDirectory();
        await using (await OpenAsync(dir))
        {
        }

        await using (var connection = new SqliteConnection($"Data Source={dir.Combine("repro.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO schema_version(version) VALUES (999)";
            await command.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<ReproException>(() => OpenAsync(dir));
        Assert.Contains("newer than this repro", error.Message, StringComparison.Ordinal);
    }
}
