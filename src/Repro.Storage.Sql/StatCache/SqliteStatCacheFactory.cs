
namespace Repro.Storage.Sql.StatCache;

/// <summary>The stat caches of one workspace, all in its SQLite state file (one table per algorithm).</summary>
public sealed class SqliteStatCacheFactory(string databasePath) : IStatCacheFactory
{
    public IStatCache Open(string algorithm) => new SqliteStatCache(databasePath, algorithm);
}
