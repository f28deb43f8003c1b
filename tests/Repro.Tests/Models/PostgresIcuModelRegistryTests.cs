using Repro.Tests.Shared;

namespace Repro.Tests.Models;

/// <summary>The registry contract on a PostgreSQL database whose text collation is ICU English: lists keep SQLite's byte order.</summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresIcuModelRegistryTests(PostgresServer server) : ModelRegistryContract
{
    private readonly Lazy<Task<string>> _database = new(() => server.CreateDatabaseAsync("en-US"));

    protected override async Task<SqlDatabase> OpenDatabaseAsync() => await server.OpenAsync(await _database.Value);
}
