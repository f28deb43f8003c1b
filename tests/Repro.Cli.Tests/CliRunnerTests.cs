namespace Repro.Cli.Tests;

/// <summary>The in-process host: invocations side by side see only their own folder, environment and output.</summary>
public sealed class CliRunnerTests
{
    [Fact]
    public async Task Two_in_process_runs_side_by_side_see_only_their_own_folder_environment_and_output()
    {
        using var first = new Workdir();
        using var second = new Workdir();
        await Task.WhenAll(first.InitAsync(), second.InitAsync());
        var cwd = Environment.CurrentDirectory;

        const string Script = "echo mark=$MARK; pwd; sleep 0.3";
        var runs = await Task.WhenAll(
            CliRunner.RunWithAsync(first.Path, new Dictionary<string, string?> { ["MARK"] = "one" }, null, "run", "--name", "a", "--", "sh", "-c", Script),
            CliRunner.RunWithAsync(second.Path, new Dictionary<string, string?> { ["MARK"] = "two" }, null, "run", "--name", "b", "--", "sh", "-c", Script));

        Assert.True(runs[0].ExitCode == 0, runs[0].ToString());
        Assert.True(runs[1].ExitCode == 0, runs[1].ToString());
        Assert.Equal($"mark=one\n{first.Path}\n", runs[0].Stdout);
        Assert.Equal($"mark=two\n{second.Path}\n", runs[1].Stdout);
        Assert.Contains("recorded run", runs[0].Stderr, StringComparison.Ordinal);
        Assert.Equal("a", (await first.ManifestAsync()).GetProperty("name").GetString());
        Assert.Equal("b", (await second.ManifestAsync()).GetProperty("name").GetString());
        Assert.Null(Environment.GetEnvironmentVariable("MARK"));
        Assert.Equal(cwd, Environment.CurrentDirectory);
    }

    [Fact]
    public async Task A_relative_path_is_read_from_the_invocations_folder_and_shown_as_given()
    {
        using var dir = new Workdir();
        dir.Write("train.csv", "id,x,y\n1,1,0\n2,2,1\n3,3,0\n");
        dir.Write("test.csv", "id,x,y\n1,1,0\n4,4,1\n");
        var leak = await dir.ReproAsync("leak", "--train", "train.csv", "--test", "test.csv", "--id", "id", "--json");
        Assert.Contains("\"train.csv\"", leak.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(dir.Path, leak.Stdout, StringComparison.Ordinal);

        var missing = await dir.ReproAsync("leak", "--train", "absent.csv", "--test", "test.csv");
        Assert.Equal(2, missing.ExitCode);
        Assert.StartsWith("repro: cannot read absent.csv: ", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_interrupt_while_no_command_holds_them_is_left_to_the_host()
    {
        using var interrupts = new Interrupts();
        Assert.False(interrupts.Interrupt());
        Assert.False(interrupts.Token.IsCancellationRequested);
        using (interrupts.Hold())
        {
            Assert.True(interrupts.Interrupt());
        }

        Assert.True(interrupts.Token.IsCancellationRequested);
        Assert.False(interrupts.Interrupt());
    }

    [Fact]
    public void Every_kind_of_error_exits_with_the_code_the_library_still_reports_for_it()
    {
        foreach (var kind in Enum.GetValues<ErrorKind>())
        {
            Assert.Equal(new ReproException(kind, "x").Code, ErrorReport.ExitCodeOf(kind));
        }
    }

    [Fact]
    public void An_error_of_each_kind_is_one_line_naming_the_problem()
    {
        using var stderr = new StringWriter();
        var context = new CliContext(TextWriter.Null, stderr, []);
        Assert.Equal(2, ErrorReport.Write(context, ReproException.NotFound("unknown run 'x'"), verbose: false));
        Assert.Equal(2, ErrorReport.Write(context, ReproException.Conflict("a remote named 'o' exists already"), verbose: false));
        Assert.Equal(3, ErrorReport.Write(context, ReproException.Io("cannot read a.yaml: denied"), verbose: false));
        Assert.Equal(130, ErrorReport.Write(context, new OperationCanceledException(), verbose: false));
        Assert.Equal("repro: unknown run 'x'\nrepro: a remote named 'o' exists already\nrepro: cannot read a.yaml: denied\nrepro: cancelled\n", stderr.ToString());
    }
}
