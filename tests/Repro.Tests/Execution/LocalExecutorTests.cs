using Repro.Execution;

namespace Repro.Tests.Execution;

public sealed class LocalExecutorTests : ExecutorContract
{
    protected override string ExpectedName => "local";

    protected override IExecutor Create() => LocalExecutor.Instance;

    [Fact]
    public async Task The_command_may_write_anywhere_it_could_before_executors()
    {
        using var dir = new TempDirectory();
        var (result, _, _) = await RunAsync(Create(), Spec(dir, "echo x > undeclared.txt"));
        Assert.Equal(0, result.ExitCode);
        Assert.True(File.Exists(dir.Combine("undeclared.txt")));
    }
}
