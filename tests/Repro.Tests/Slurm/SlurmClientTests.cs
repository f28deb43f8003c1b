using Repro.Execution;

namespace Repro.Tests.Slurm;

/// <summary>Reading scontrol's one-line job records, and a real array on the test cluster.</summary>
[Collection(SlurmClusterFixture.Collection)]
public sealed class SlurmClientTests(SlurmClusterFixture cluster)
{
    [Fact]
    public void A_pending_array_range_is_expanded_one_task_per_index()
    {
        var tasks = SlurmClient.Parse("JobId=12 ArrayJobId=12 ArrayTaskId=2-4,7%2 JobName=x JobState=PENDING Reason=Resources ExitCode=0:0 Partition=debug NodeList=\n");
        Assert.Equal([2, 3, 4, 7], tasks.Select(t => t.TaskIndex!.Value));
        Assert.All(tasks, t => Assert.Equal("PENDING", t.State));
        Assert.All(tasks, t => Assert.Null(t.Node));
        Assert.All(tasks, t => Assert.False(t.Ended));
    }

    [Fact]
    public void An_ended_task_reports_its_state_exit_code_signal_and_node()
    {
        var tasks = SlurmClient.Parse(
            "JobId=5 ArrayJobId=1 ArrayTaskId=3 JobState=CANCELLED Reason=None ExitCode=0:15 Partition=debug NodeList=vm BatchHost=vm\n" +
            "JobId=4 ArrayJobId=1 ArrayTaskId=2 JobState=FAILED Reason=NonZeroExitCode ExitCode=7:0 Partition=debug NodeList=vm BatchHost=vm\n");
        Assert.Equal(2, tasks.Count);
        Assert.Equal(("1_3", "CANCELLED", 0, 15, "vm"), (tasks[0].Target, tasks[0].State, tasks[0].ExitCode, tasks[0].Signal, tasks[0].Node));
        Assert.Equal(("1_2", "FAILED", 7, 0, "NonZeroExitCode"), (tasks[1].Target, tasks[1].State, tasks[1].ExitCode, tasks[1].Signal, tasks[1].Reason));
        Assert.True(tasks[0].Ended);
    }

    [Fact]
    public async Task An_array_submitted_to_the_cluster_runs_every_task_and_reports_its_exit_code()
    {
        using var dir = new TempDirectory();
        var script = dir.Combine("job.sh");
        await File.WriteAllTextAsync(script, "#!/bin/sh\necho \"task $SLURM_ARRAY_TASK_ID\" > \"out-$SLURM_ARRAY_TASK_ID\"\n[ \"$SLURM_ARRAY_TASK_ID\" = 1 ] && exit 4\nexit 0\n");
        var client = new SlurmClient();
        await client.CheckAsync(CancellationToken.None);
        var job = await client.SubmitAsync(
            new SlurmSubmission { Script = script, JobName = "repro-test", WorkingDirectory = dir.Path, Output = dir.Combine("log-%a"), ArraySize = 3 },
            CancellationToken.None);

        IReadOnlyList<SlurmTask>? tasks;
        do
        {
            await Task.Delay(100);
            tasks = await client.ShowJobAsync(job, CancellationToken.None);
        }
        while (tasks is null || tasks.Count < 3 || !tasks.All(t => t.Ended));

        Assert.Equal(["COMPLETED", "FAILED", "COMPLETED"], tasks.OrderBy(t => t.TaskIndex).Select(t => t.State));
        Assert.Equal(4, tasks.Single(t => t.TaskIndex == 1).ExitCode);
        Assert.All(tasks, t => Assert.Equal(cluster.Node, t.Node));
        Assert.Equal("task 2\n", await File.ReadAllTextAsync(dir.Combine("out-2")));
    }

    [Fact]
    public async Task A_job_slurm_never_had_is_null_not_an_error()
    {
        Assert.Null(await new SlurmClient().ShowJobAsync("999999999", CancellationToken.None));
    }

    [Theory]
    [InlineData("CANCELLED", true)]
    [InlineData("TIMEOUT", true)]
    [InlineData("NODE_FAIL", true)]
    [InlineData("PREEMPTED", true)]
    [InlineData("COMPLETED", false)]
    [InlineData("FAILED", false)]
    [InlineData("OUT_OF_MEMORY", false)]
    [InlineData("RUNNING", false)]
    [InlineData(null, false)]
    public void Only_states_in_which_Slurm_stopped_the_task_make_its_run_an_interrupted_attempt(string? state, bool stopped) =>
        Assert.Equal(stopped, SlurmStates.IsStoppedBySlurm(state));
}
