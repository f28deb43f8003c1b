using Repro.Tests.Shared;

namespace Repro.Tests.Slurm;

/// <summary>The tests' single-node Slurm (<see cref="SlurmCluster"/>), started once for every test that submits jobs.</summary>
public sealed class SlurmClusterFixture : IAsyncLifetime
{
    public const string Collection = "slurm";

    private readonly SlurmCluster _cluster = new();

    /// <summary>The node's name, as Slurm knows it (this machine's hostname).</summary>
    public string Node => _cluster.Node;

    /// <summary>The states of a job's tasks, as Slurm reports them (for tests that watch a job).</summary>
    public static Task<string> ShowJobAsync(string job) => SlurmCluster.ShowJobAsync(job);

    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string file, IEnumerable<string> arguments) => SlurmCluster.RunAsync(file, arguments);

    public Task InitializeAsync() => _cluster.StartAsync();

    public Task DisposeAsync() => _cluster.StopAsync();
}
