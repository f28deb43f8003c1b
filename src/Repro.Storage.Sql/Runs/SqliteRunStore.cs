
namespace Repro.Storage.Sql.Runs;

/// <summary>
/// The run store in one SQLite file (<c>.repro/repro.db</c>): WAL so readers never block the
/// writer, a busy timeout so concurrent <c>repro run</c>s queue instead of failing. The tables
/// and SQL are <see cref="SqlRunStore"/>'s, shared with PostgreSQL.
/// </summary>
public static class SqliteRunStore
{
    public static int SchemaVersion => SqlRunStore.SchemaVersion;

    /// <summary>Opens (creating and migrating as needed) the store at <paramref name="path"/>.</summary>
    public static async Task<SqlRunStore> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var database = await SqlDatabase.OpenSqliteAsync(path, cancellationToken);
        return await SqlRunStore.OpenAsync(database, ownsDatabase: true, cancellationToken);
    }
}
