using Repro.Cli.Commands;
using Repro.Execution;
using Repro.Recording;

namespace Repro.Cli.Tests;

/// <summary>Settings records validate themselves: the one line a user sees, before anything is opened or run.</summary>
public sealed class CommandSettingsTests
{
    private static readonly RunRequest Command = new() { Command = ["true"], WorkingDirectory = "/", Environment = new Dictionary<string, string>() };

    [Fact]
    public void Valid_settings_validate_as_success()
    {
        Assert.True(new RunsSettings().Validate().Successful);
        Assert.True(new SeedsCommandSettings { Command = Command, Count = 3, Executor = ExecutorOptions.Local }.Validate().Successful);
        Assert.True(new VerifyCommandSettings { Run = "@last", ToleranceFrom = "study", K = 3, Executor = ExecutorOptions.Local }.Validate().Successful);
        Assert.Null(new UiSettings { Token = new string('x', 16) }.Validate().Message);
    }

    [Fact]
    public void Each_invalid_setting_names_what_to_fix()
    {
        Assert.Equal("--limit must be 0 (all) or more", new RunsSettings { Limit = -1 }.Validate().Message);
        Assert.Equal("--higher-is-better and --lower-is-better contradict each other", new CompareSettings { StudyA = "a", StudyB = "b", HigherIsBetter = true, LowerIsBetter = true }.Validate().Message);
        Assert.Equal("--k needs --tolerance-from STUDY", new VerifyCommandSettings { Run = "@last", K = 3, Executor = ExecutorOptions.Local }.Validate().Message);
        Assert.Equal("-j must be 1 or more", new DataTransferSettings { Push = true, Jobs = 0 }.Validate().Message);
        Assert.Equal("--workspace and --all-runs exclude each other", new DataGcSettings { WorkspaceOnly = true, AllRuns = true }.Validate().Message);
        Assert.Equal("--token must be at least 16 characters", new UiSettings { Token = "short" }.Validate().Message);
        Assert.Equal("--json and --sarif - both print to stdout: give --sarif a file", new LintCommandSettings { Json = true, Sarif = "-" }.Validate().Message);
        Assert.StartsWith("'pipeline run' takes no command after '--'", new PipelineRunSettings { CommandGiven = true }.Validate().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Seeds_wants_exactly_one_of_a_run_and_a_command_and_checks_them_in_order()
    {
        Assert.StartsWith("give a recorded run (repro seeds RUN -n N)", new SeedsCommandSettings { Executor = ExecutorOptions.Local }.Validate().Message, StringComparison.Ordinal);
        Assert.Equal("give a recorded run or a command after --, not both", new SeedsCommandSettings { Run = "base", Command = Command, HigherIsBetter = true, LowerIsBetter = true, Executor = ExecutorOptions.Local }.Validate().Message);
        Assert.Equal("--higher-is-better and --lower-is-better contradict each other", new SeedsCommandSettings { Run = "base", HigherIsBetter = true, LowerIsBetter = true, Executor = ExecutorOptions.Local }.Validate().Message);
    }

    [Fact]
    public void An_executor_flag_without_its_executor_is_the_settings_first_problem()
    {
        var run = new RunCommandSettings { Request = Command, Executor = new ExecutorOptions { Name = "local", Image = "python:3.11" } };
        Assert.False(run.Validate().Successful);
        Assert.Contains("--image", run.Validate().Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_validation_stops_the_command_with_a_usage_error_before_it_runs()
    {
        var context = new CliContext(TextWriter.Null, TextWriter.Null, []);
        var error = await Assert.ThrowsAsync<ReproException>(() => new RunsCommand(context).RunAsync(new RunsSettings { Limit = -5 }, CancellationToken.None));
        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
        Assert.Equal("--limit must be 0 (all) or more", error.Message);
    }
}
