using Microsoft.Data.Sqlite;
using Repro.Blobs.Storage;
using Repro.Checks.Audit;
using Repro.Model;

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
        Assert.Equal((long)SqliteRunStore.SchemaVersion, await Scalar("SELECT version FROM schema_modules WHERE module = 'runs'"));
        Assert.Equal("wal", await Scalar("PRAGMA journal_mode"));
    }

    [Fact]
    public async Task Closing_the_store_keeps_its_wal_and_the_next_open_reads_every_run()
    {
        // No checkpoint when the last connection closes (two fsyncs, and two more for a new WAL,
        // on every command): the committed run stays in the WAL, where SQLite reads it.
        using var dir = new TempDirectory();
        var manifest = Manifest("wal");
        await using (var store = await OpenAsync(dir))
        {
            await store.SaveAsync(manifest, CancellationToken.None);
        }

        SqliteConnection.ClearAllPools();
        Assert.True(new FileInfo(dir.Combine("repro.db-wal")).Length > 0, "the WAL was checkpointed and removed on close");
        await using var again = await OpenAsync(dir);
        Assert.Equal("wal", (await again.GetAsync(manifest.Id, CancellationToken.None))?.Manifest.Name);
        Assert.Equal(manifest.Id, Assert.Single(await again.ListAsync(new RunQuery(), CancellationToken.None)).Id);
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
            command.CommandText = "UPDATE schema_modules SET version = 999 WHERE module = 'runs'";
            await command.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<ReproException>(() => OpenAsync(dir));
        Assert.Contains("newer than this repro", error.Message, StringComparison.Ordinal);
    }

    private static async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private async Task<(string Database, RunManifest[] Runs)> ThreeRunsAsync(TempDirectory dir)
    {
        var runs = new[] { Manifest("a", acc: 0.81), Manifest("b", acc: 0.82), Manifest("c", acc: 0.83) };
        await using var store = await OpenAsync(dir);
        foreach (var run in runs)
        {
            await store.SaveAsync(run, CancellationToken.None);
        }

        return (dir.Combine("repro.db"), runs);
    }

    private async Task<AuditResult> AuditAsync(TempDirectory dir)
    {
        await using var store = await OpenAsync(dir);
        return await AuditVerifier.VerifyAsync(store, CancellationToken.None);
    }

    [Fact]
    public async Task A_metric_changed_in_the_manifest_is_detected_at_its_entry()
    {
        using var dir = new TempDirectory();
        var (db, runs) = await ThreeRunsAsync(dir);
        await ExecuteAsync(db, $"UPDATE runs SET manifest = replace(manifest, '\"acc\":0.82', '\"acc\":0.92') WHERE id = '{runs[1].Id}'");
        var result = await AuditAsync(dir);
        Assert.False(result.Intact);
        Assert.Equal(2, result.FirstBroken!.Seq);
        Assert.Contains("altered", result.FirstBroken.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_metric_changed_only_in_the_metrics_table_is_detected()
    {
        using var dir = new TempDirectory();
        var (db, runs) = await ThreeRunsAsync(dir);
        await ExecuteAsync(db, $"UPDATE metrics SET value = 0.99 WHERE run_id = '{runs[0].Id}' AND key = 'acc'");
        var result = await AuditAsync(dir);
        Assert.False(result.Intact);
        Assert.Contains("metrics table", result.FirstBroken!.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_run_and_a_deleted_log_entry_are_detected()
    {
        using var dir = new TempDirectory();
        var (db, runs) = await ThreeRunsAsync(dir);
        await ExecuteAsync(db, $"DELETE FROM runs WHERE id = '{runs[2].Id}'");
        var missingRun = await AuditAsync(dir);
        Assert.False(missingRun.Intact);
        Assert.Equal(3, missingRun.FirstBroken!.Seq);
        Assert.Contains("missing", missingRun.FirstBroken.Problem, StringComparison.Ordinal);

        using var dir2 = new TempDirectory();
        var (db2, _) = await ThreeRunsAsync(dir2);
        await ExecuteAsync(db2, "DELETE FROM audit WHERE seq = 2");
        var missingEntry = await AuditAsync(dir2);
        Assert.False(missingEntry.Intact);
        Assert.Equal(3, missingEntry.FirstBroken!.Seq);
        Assert.Contains(missingEntry.Problems, p => p.Problem.Contains("not in the audit log", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reordered_or_rewritten_log_entries_are_detected()
    {
        using var dir = new TempDirectory();
        var (db, _) = await ThreeRunsAsync(dir);
        // Swap the subjects of entries 1 and 2, keeping each row's own hash: the chain no longer adds up.
        await ExecuteAsync(db, """
            UPDATE audit SET subject = CASE seq WHEN 1 THEN (SELECT subject FROM audit WHERE seq = 2) WHEN 2 THEN (SELECT subject FROM audit WHERE seq = 1) ELSE subject END,
                             digest = CASE seq WHEN 1 THEN (SELECT digest FROM audit WHERE seq = 2) WHEN 2 THEN (SELECT digest FROM audit WHERE seq = 1) ELSE digest END
            """);
        var result = await AuditAsync(dir);
        Assert.False(result.Intact);
        Assert.Equal(1, result.FirstBroken!.Seq);

        using var dir2 = new TempDirectory();
        var (db2, _) = await ThreeRunsAsync(dir2);
        await ExecuteAsync(db2, "UPDATE audit SET seq = seq + 10 WHERE seq = 3");
        Assert.False((await AuditAsync(dir2)).Intact);
    }

    [Fact]
    public async Task A_store_from_before_the_audit_log_is_logged_when_upgraded()
    {
        using var dir = new TempDirectory();
        var (db, runs) = await ThreeRunsAsync(dir);
        // What a version-1 store looked like: its own schema_version table, no audit, no verifications.
        await ExecuteAsync(db, "DROP TABLE audit; DROP TABLE verifications; DROP TABLE schema_modules; CREATE TABLE schema_version(version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1);");
        var result = await AuditAsync(dir);
        Assert.True(result.Intact, string.Join("; ", result.Problems.Select(p => p.Problem)));
        Assert.Equal(runs.Length, result.Entries);
    }

    [Fact]
    public async Task A_store_made_by_the_previous_sqlite_store_opens_and_grows_one_intact_chain()
    {
        using var dir = new TempDirectory();
        var db = dir.Combine("repro.db");

        // The tables and bookkeeping exactly as the SQLite-only store made them (schema_version 1 and 2).
        await ExecuteAsync(db, """
            CREATE TABLE schema_version(version INTEGER NOT NULL);
            CREATE TABLE runs(id TEXT PRIMARY KEY, name TEXT, kind TEXT NOT NULL, parent_id TEXT, status TEXT NOT NULL, exit_code INTEGER NOT NULL, created_at TEXT NOT NULL, wall_seconds REAL NOT NULL, seed INTEGER, digest TEXT NOT NULL, manifest TEXT NOT NULL);
            CREATE INDEX runs_created ON runs(created_at);
            CREATE INDEX runs_name ON runs(name, created_at);
            CREATE INDEX runs_parent ON runs(parent_id);
            CREATE TABLE params(run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY(run_id, key));
            CREATE INDEX params_key ON params(key, value);
            CREATE TABLE metrics(run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, key TEXT NOT NULL, value REAL, PRIMARY KEY(run_id, key));
            CREATE INDEX metrics_key ON metrics(key, value);
            CREATE TABLE metric_steps(run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, key TEXT NOT NULL, step INTEGER NOT NULL, value REAL);
            CREATE INDEX metric_steps_run ON metric_steps(run_id, key, step);
            CREATE TABLE tags(run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY(run_id, key));
            CREATE INDEX tags_key ON tags(key, value);
            INSERT INTO schema_version(version) VALUES (1);
            CREATE TABLE verifications(id TEXT PRIMARY KEY, run_id TEXT NOT NULL, verdict TEXT NOT NULL, created_at TEXT NOT NULL, digest TEXT NOT NULL, report TEXT NOT NULL);
            CREATE INDEX verifications_run ON verifications(run_id, created_at);
            CREATE TABLE audit(seq INTEGER PRIMARY KEY, at TEXT NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL, digest TEXT NOT NULL, previous TEXT NOT NULL, hash TEXT NOT NULL);
            INSERT INTO schema_version(version) VALUES (2);
            """);
        var runs = new[] { Manifest("a"), Manifest("b") };
        await using (var store = await OpenAsync(dir))
        {
            foreach (var run in runs)
            {
                await store.SaveAsync(run, CancellationToken.None);
            }

            await store.SaveVerificationAsync(Report(runs[0].Id), CancellationToken.None);
        }

        await using (var store = await OpenAsync(dir))
        {
            Assert.Equal([runs[1].Id, runs[0].Id], (await store.ListAsync(new RunQuery(), CancellationToken.None)).Select(r => r.Id));
            Assert.Equal(0.9, (await store.ListAsync(new RunQuery(), CancellationToken.None))[0].Metrics["acc"]);
            var result = await AuditVerifier.VerifyAsync(store, CancellationToken.None);
            Assert.True(result.Intact, string.Join("; ", result.Problems.Select(p => p.Problem)));
            Assert.Equal(3, result.Entries);
        }

        await using var connection = new SqliteConnection($"Data Source={db};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM schema_modules WHERE module = 'runs'";
        Assert.Equal((long)SqliteRunStore.SchemaVersion, await command.ExecuteScalarAsync());
    }
}
