using Repro.Tests.Shared;

namespace Repro.Tests.Search;

/// <summary>
/// The search contract on a PostgreSQL database whose text collation is ICU English (as servers
/// set up for people often are): sorting and paging by text must still follow SQLite's byte order.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresIcuRunSearchTests(PostgresServer server) : RunSearchContract
{
    protected override async Task<SqlDatabase> OpenDatabaseAsync() => await server.OpenAsync(await server.CreateDatabaseAsync("en-US"));
}
