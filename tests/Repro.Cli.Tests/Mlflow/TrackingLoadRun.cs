using Repro.Tests.Shared;

namespace Repro.Cli.Tests.Mlflow;

/// <summary>
/// A small run of the bench's tracking-server load (tests/Shared/TrackingLoad.cs) against a real
/// `repro ui` process: 4 clients × 50 requests a phase. Nothing is timed; every request must
/// succeed and everything acknowledged must be counted back.
/// </summary>
public static class TrackingLoadRun
{
    public static readonly TrackingLoadPlan Small = new()
    {
        Clients = 4,
        MaxRequestsPerClient = 50,
        PhaseDuration = TimeSpan.FromMinutes(5),
        SearchRuns = 200,
    };

    public static async Task AssertNothingLostAsync(Workdir dir, IReadOnlyDictionary<string, string?>? environment)
    {
        using var server = ReproProcess.Start(dir.Path, ["ui", "--port", "0"], environment);
        server.StandardInput.Close();
        try
        {
            var line = await server.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("repro ui printed nothing: " + await server.StandardError.ReadToEndAsync());
            _ = server.StandardOutput.ReadToEndAsync();
            var url = new Uri(line[line.IndexOf("http://", StringComparison.Ordinal)..].Split(' ')[0]);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            var result = await TrackingLoad.RunAsync(url, Small, TextWriter.Null, timeout.Token);

            foreach (var phase in new[] { result.Create, result.LogBatch, result.Search })
            {
                Assert.True(phase.Errors == 0, $"{phase}; first error: {phase.FirstError}");
                Assert.Equal(Small.Clients * Small.MaxRequestsPerClient, phase.Requests);
            }

            Assert.Equal(Small.Clients * Small.MaxRequestsPerClient, result.RunsCreated);
            Assert.Equal(result.RunsCreated, result.RunsFound);
            Assert.Equal((long)Small.Clients * Small.MaxRequestsPerClient * Small.MetricsPerBatch, result.PointsLogged);
            Assert.Equal(result.PointsLogged, result.PointsFound);
            Assert.Equal(Small.SearchRuns, result.SearchRunsFound);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }
}
