using Repro.Execution;

namespace Repro.Tests.Execution;

public sealed class ExecutorOptionsTests
{
    [Fact]
    public void Local_with_no_flags_has_no_problems()
    {
        Assert.Empty(ExecutorOptions.Local.Problems());
        Assert.Same(LocalExecutor.Instance, ExecutorFactory.Create(ExecutorOptions.Local));
    }

    [Theory]
    [InlineData("local", "--image needs --executor container")]
    [InlineData("sandbox", "--image needs --executor container")]
    [InlineData("slurm", "--image needs --executor container")]
    public void An_image_without_the_container_executor_is_a_usage_error(string name, string expected)
    {
        var options = new ExecutorOptions { Name = name, Image = "alpine" };
        Assert.Equal([expected], options.Problems());
        var error = Assert.Throws<ReproException>(() => ExecutorFactory.Create(options));
        Assert.Equal(ExitCode.Usage, error.Code);
    }

    [Fact]
    public void Slurm_flags_need_the_slurm_executor()
    {
        var options = new ExecutorOptions { Name = "container", Partition = "debug", Time = "00:10:00", CpusPerTask = 2, Retries = 1 };
        Assert.Equal(["--partition needs --executor slurm", "--time needs --executor slurm", "--cpus-per-task needs --executor slurm", "--retries needs --executor slurm"], options.Problems());
    }

    [Fact]
    public void Counts_out_of_range_are_problems()
    {
        var options = new ExecutorOptions { Name = "slurm", CpusPerTask = 0, Retries = -1 };
        Assert.Equal(["--cpus-per-task must be 1 or more, not 0", "--retries must be 0 or more, not -1"], options.Problems());
    }

    [Fact]
    public void An_unknown_executor_names_the_known_ones()
    {
        Assert.Equal(["unknown executor 'k8s': choose local, sandbox, container, slurm"], new ExecutorOptions { Name = "k8s" }.Problems());
    }

    [Fact]
    public void The_sandbox_executor_is_created_when_bwrap_is_installed()
    {
        Assert.Equal("sandbox", ExecutorFactory.Create(new ExecutorOptions { Name = "sandbox" }).Name);
    }
}
