using Repro.Tests.Shared;

namespace Repro.Tests.Models;

/// <summary>The registry contract on a real PostgreSQL server, one fresh database per test.</summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresModelRegistryTests(PostgresServer server) : ModelRegistryContract
{
    private readonly Lazy<Task<string>> _database = new(() => server.CreateDatabaseAsync());

    protected override async Task<SqlDatabase> OpenDatabaseAsync() => await server.OpenAsync(await _database.Value);
}
