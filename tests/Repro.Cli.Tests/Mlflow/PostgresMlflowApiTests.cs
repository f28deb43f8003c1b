using Repro.Tests.Shared;

namespace Repro.Cli.Tests.Mlflow;

/// <summary>The MLflow API contract against a server whose store is a fresh database on a real PostgreSQL server.</summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresMlflowApiTests(PostgresServer server) : MlflowApiContract
{
    protected override Task<TrackingServer> StartAsync(string? token = null) => TrackingServer.StartAsync(token, server);
}
