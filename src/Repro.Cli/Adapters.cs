using Repro.Blobs.Hashing;
using Repro.Blobs.Remotes;
using Repro.Ports;
using Repro.Remotes.S3;
using Repro.Storage.Sql;

namespace Repro.Cli;

/// <summary>
/// The composition root's adapters: the library knows only its ports, and the program plugs in
/// what it ships: the SQL stores, and the S3 remote by its scheme.
/// </summary>
internal static class Adapters
{
    /// <summary>Opens every workspace's store (SQLite, or PostgreSQL where the workspace says).</summary>
    public static IStoreProvider Stores { get; } = SqlStoreProvider.Instance;

    /// <summary>Registers every adapter; idempotent, so each in-process run may call it.</summary>
    public static void Register() => RemoteSchemes.Register(S3RemoteFactory.Instance);

    /// <summary>The stat caches kept in a workspace's state file (SQLite, whatever the run store).</summary>
    public static IStatCacheFactory StatCaches(string stateDatabase) => Stores.StatCaches(stateDatabase);
}
