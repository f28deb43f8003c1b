using System.Collections.Concurrent;
using Repro.Blobs.Storage;
using Repro.Checks.Audit;
using Repro.Tests.Shared;

namespace Repro.Tests;

/// <summary>The run store contract against a real PostgreSQL server, one fresh database per test, plus what only a server has: logins and many writers.</summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresRunStoreTests(PostgresServer server) : RunStoreContract
{
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _databases = new(StringComparer.Ordinal);

    protected override async Task<IRunStore> OpenAsync(TempDirectory dir) => await OpenStoreAsync(await DatabaseForAsync(dir));

    [Fact]
    public async Task Eight_writers_with_their_own_pools_save_fifty_runs_each_and_lose_nothing()
    {
        using var dir = new TempDirectory();
        var database = await DatabaseForAsync(dir);
        await using (await OpenStoreAsync(database))
        {
        }

        var saved = new ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
        {
            await using var store = await OpenStoreAsync(database);
            for (var i = 0; i < 50; i++)
            {
                var run = Manifest($"writer-{writer}");
                await store.SaveAsync(run, CancellationToken.None);
                saved.Add(run.Id);
            }
        })));

        await using var reader = await OpenStoreAsync(database);
        var listed = await reader.ListAsync(new RunQuery { Limit = 0 }, CancellationToken.None);
        Assert.Equal(400, listed.Count);
        Assert.Equal(saved.Order(StringComparer.Ordinal), listed.Select(r => r.Id).Order(StringComparer.Ordinal));
        var log = await reader.ReadAuditAsync(CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 400).Select(i => (long)i), log.Select(e => e.Seq));
        var result = await AuditVerifier.VerifyAsync(reader, CancellationToken.None);
        Assert.True(result.Intact, string.Join("; ", result.Problems.Select(p => p.Problem)));
        Assert.Equal(400, result.Entries);
    }

    [Fact]
    public async Task Metrics_are_double_precision_rows_and_the_module_version_is_recorded()
    {
        using var dir = new TempDirectory();
        var database = await DatabaseForAsync(dir);
        await using (var store = await OpenStoreAsync(database))
        {
            await store.SaveAsync(Manifest("q"), CancellationToken.None);
        }

        Assert.Equal("double precision", await server.ExecuteAsync(database, "SELECT pg_typeof(value)::text FROM metrics WHERE key = 'acc'"));
        Assert.Equal(0.9, await server.ExecuteAsync(database, "SELECT value FROM metrics WHERE key = 'acc'"));
        Assert.Equal(2L, await server.ExecuteAsync(database, "SELECT COUNT(*) FROM metric_steps WHERE key = 'loss'"));
        Assert.Equal((long)SqlRunStore.SchemaVersion, await server.ExecuteAsync(database, "SELECT version FROM schema_modules WHERE module = 'runs'"));
    }

    [Fact]
    public async Task A_metric_changed_only_in_the_metrics_table_is_detected()
    {
        using var dir = new TempDirectory();
        var database = await DatabaseForAsync(dir);
        var run = Manifest("t");
        await using var store = await OpenStoreAsync(database);
        await store.SaveAsync(run, CancellationToken.None);
        await server.ExecuteAsync(database, $"UPDATE metrics SET value = 0.99 WHERE run_id = '{run.Id}' AND key = 'acc'");
        var result = await AuditVerifier.VerifyAsync(store, CancellationToken.None);
        Assert.False(result.Intact);
        Assert.Contains("metrics table", result.FirstBroken!.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_file_named_by_PGPASSFILE_logs_in()
    {
        using var dir = new TempDirectory();
        var database = await DatabaseForAsync(dir);
        var passfile = dir.Write("pgpass", $"{PostgresServer.Host}:{server.Port}:*:{PostgresServer.User}:{server.Password}\n");
        File.SetUnixFileMode(passfile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await using var db = await PostgresUrl.Parse(server.Url(database)).OpenAsync(name => name == "PGPASSFILE" ? passfile : null, CancellationToken.None);
        await using var store = await SqlRunStore.OpenAsync(db, ownsDatabase: false, CancellationToken.None);
        Assert.Empty(await store.ListAsync(new RunQuery(), CancellationToken.None));
    }

    [Fact]
    public async Task A_wrong_or_missing_password_is_exit_3_naming_the_server_never_the_password()
    {
        var database = await server.CreateDatabaseAsync();
        var url = $"postgresql://{PostgresServer.User}:not-the-{server.Password}@{PostgresServer.Host}:{server.Port}/{database}";
        var wrong = await Assert.ThrowsAsync<ReproException>(() => PostgresUrl.Parse(url).OpenAsync(_ => null, CancellationToken.None));
        Assert.Equal(ExitCode.CannotExecute, wrong.Code);
        Assert.Contains($"{PostgresServer.Host}:{server.Port}", wrong.Message, StringComparison.Ordinal);
        Assert.Contains("password authentication failed", wrong.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Password, wrong.Message, StringComparison.Ordinal);

        var none = await Assert.ThrowsAsync<ReproException>(() => PostgresUrl.Parse(server.Url(database)).OpenAsync(_ => null, CancellationToken.None));
        Assert.Equal(ExitCode.CannotExecute, none.Code);
        Assert.Contains("PGPASSWORD", none.Message, StringComparison.Ordinal);
    }

    private async Task<string> DatabaseForAsync(TempDirectory dir) =>
        await _databases.GetOrAdd(dir.Path, _ => new Lazy<Task<string>>(() => server.CreateDatabaseAsync())).Value;

    private async Task<SqlRunStore> OpenStoreAsync(string database)
    {
        var db = await PostgresUrl.Parse(server.Url(database)).OpenAsync(name => name == "PGPASSWORD" ? server.Password : null, CancellationToken.None);
        return await SqlRunStore.OpenAsync(db, ownsDatabase: true, CancellationToken.None);
    }
}
