namespace Repro.Cli.Tests.Mlflow;

public sealed class SqliteMlflowApiTests : MlflowApiContract
{
    protected override Task<TrackingServer> StartAsync(string? token = null) => TrackingServer.StartAsync(token);
}
