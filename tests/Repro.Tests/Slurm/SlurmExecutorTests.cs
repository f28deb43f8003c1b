using Repro.Execution;
using Repro.Tests.Execution;

namespace Repro.Tests.Slurm;

/// <summary>The executor contract on the real test cluster, plus what a Slurm run records about its job.</summary>
[Collection(SlurmClusterFixture.Collection)]
public sealed class SlurmExecutorTests(SlurmClusterFixture cluster) : ExecutorContract
{
    protected override string ExpectedName => "slurm";

    protected override IExecutor Create() => new SlurmExecutor(new SlurmOptions(), launcher: null) { PollInterval = TimeSpan.FromMilliseconds(100) };

    [Fact]
    public async Task Describe_names_the_job_the_node_and_the_partition()
    {
        using var dir = new TempDirectory();
        var executor = Create();
        var (result, stdout, _) = await RunAsync(executor, Spec(dir, "printf %s \"$SLURM_JOB_ID\""));
        Assert.Equal(0, result.ExitCode);
        var details = executor.Describe().Details;
        Assert.Equal(stdout, details["job_id"]);
        Assert.Equal(cluster.Node, details["node"]);
        Assert.Equal("debug", details["partition"]);
        Assert.Equal("COMPLETED", details["state"]);
    }

    [Fact]
    public async Task A_node_side_probe_that_cannot_start_says_why_and_the_command_still_runs()
    {
        using var dir = new TempDirectory();
        var executor = new SlurmExecutor(new SlurmOptions(), ["/nonexistent/repro"]) { PollInterval = TimeSpan.FromMilliseconds(100) };
        var (result, stdout, _) = await RunAsync(executor, Spec(dir, "printf ran"));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("ran", stdout);
        Assert.Null(executor.RemoteEnvironment);
        Assert.StartsWith("the node's probe failed", executor.RemoteProblem, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/repro", executor.RemoteProblem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credential_looking_variables_are_not_handed_to_slurm()
    {
        using var dir = new TempDirectory();
        var variables = new Dictionary<string, string> { ["MY_API_TOKEN"] = "s3cr3t", ["PLAIN"] = "yes" };
        var (result, stdout, _) = await RunAsync(Create(), Spec(dir, "printf '%s|%s' \"${MY_API_TOKEN:-unset}\" \"$PLAIN\"", variables));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("unset|yes", stdout);
    }
}
