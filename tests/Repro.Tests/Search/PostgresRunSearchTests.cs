using Repro.Tests.Shared;

namespace Repro.Tests.Search;

/// <summary>The search contract on a real PostgreSQL server, one fresh database per test.</summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresRunSearchTests(PostgresServer server) : RunSearchContract
{
    protected override async Task<SqlDatabase> OpenDatabaseAsync() => await server.OpenAsync(await server.CreateDatabaseAsync());
}
