using Repro.Tests.Shared;

namespace Repro.Tests.Tracking;

/// <summary>The metric history contract on a real PostgreSQL server, one fresh database per test.</summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresMetricHistoryTests(PostgresServer server) : MetricHistoryContract
{
    protected override async Task<SqlDatabase> OpenDatabaseAsync() => await server.OpenAsync(await server.CreateDatabaseAsync());
}
