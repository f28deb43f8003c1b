using Microsoft.Data.Sqlite;

namespace Repro.Cli.Tests.Faults;

/// <summary>
/// What "clean" means after a kill: <c>repro data fsck</c> finds no corrupt blob in the cache
/// (nor, with a remote, on it), <c>repro audit verify</c> finds the run store intact, and
/// SQLite's own <c>PRAGMA integrity_check</c> says ok for the store and the stat cache.
/// </summary>
public static class StoreHealth
{
    public static async Task AssertCleanAsync(string workspace, IReadOnlyDictionary<string, string?>? environment = null, bool checkRemote = false, string context = "")
    {
        var fsck = await ReproProcess.RunWithAsync(workspace, environment, null, checkRemote ? ["data", "fsck", "--check-remote"] : ["data", "fsck"]);
        Assert.True(fsck.ExitCode == 0, $"{context}: data fsck\n{fsck}");
        Assert.Contains(": 0 corrupt", fsck.Stdout, StringComparison.Ordinal);
        if (checkRemote)
        {
            Assert.Equal(2, fsck.Stdout.Split(": 0 corrupt").Length - 1);
        }

        var audit = await ReproProcess.RunWithAsync(workspace, environment, null, "audit", "verify");
        Assert.True(audit.ExitCode == 0, $"{context}: audit verify\n{audit}");
        foreach (var database in new[] { "repro.db", "state.db" })
        {
            var path = Path.Combine(workspace, ".repro", database);
            if (File.Exists(path))
            {
                Assert.Equal("ok", await IntegrityAsync(path));
            }
        }
    }

    /// <summary>Every blob file of a folder remote or cache (not the dot-named temp files beside them).</summary>
    public static List<string> Blobs(string root)
    {
        var folder = Path.Combine(root, "sha256");
        return Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).StartsWith('.')).Select(f => Path.GetFileName(Path.GetDirectoryName(f)) + Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList()
            : [];
    }

    /// <summary>SQLite's <c>PRAGMA integrity_check</c> of a database file, read-only: "ok" when it is sound.</summary>
    public static async Task<string> IntegrityAsync(string path)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
