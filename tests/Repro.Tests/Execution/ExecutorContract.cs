using System.Text;
using Repro.Capture;
using Repro.Execution;

namespace Repro.Tests.Execution;

/// <summary>
/// The behaviour every executor must have; each implementation derives one test class. The
/// commands are POSIX sh one-liners, so an executor that runs elsewhere (an image, a node) needs
/// only /bin/sh there.
/// </summary>
public abstract class ExecutorContract
{
    /// <summary>A fresh executor, ready to be prepared.</summary>
    protected abstract IExecutor Create();

    /// <summary>The name <c>--executor</c> takes for it.</summary>
    protected abstract string ExpectedName { get; }

    /// <summary>A spec for <c>sh -c SCRIPT</c> run in <paramref name="dir"/>, which is the workspace.</summary>
    protected static ExecutionSpec Spec(TempDirectory dir, string script, IReadOnlyDictionary<string, string>? variables = null, params string[] writable)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
            ["HOME"] = Environment.GetEnvironmentVariable("HOME") ?? "/root",
        };
        foreach (var (key, value) in variables ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var command = new List<string> { "sh", "-c", script };
        return new ExecutionSpec
        {
            Command = command,
            Process = new ChildProcessSpec
            {
                Executable = ExecutableResolver.Find("sh", environment["PATH"])!,
                Arguments = command.Skip(1).ToList(),
                WorkingDirectory = dir.Path,
                Environment = environment,
            },
            WorkspaceRoot = dir.Path,
            WritablePaths = writable.Select(w => dir.Combine(w)).ToList(),
        };
    }

    protected static async Task<(ChildProcessResult Result, string Stdout, string Stderr)> RunAsync(IExecutor executor, ExecutionSpec spec, CancellationToken cancellationToken = default)
    {
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        await executor.PrepareAsync(spec, cancellationToken);
        var result = await executor.RunAsync(spec, stdout, stderr, TimeProvider.System, cancellationToken);
        return (result, Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()));
    }

    [Fact]
    public async Task The_command_exit_code_is_returned()
    {
        using var dir = new TempDirectory();
        var (result, _, _) = await RunAsync(Create(), Spec(dir, "exit 7"));
        Assert.Equal(7, result.ExitCode);
        Assert.False(result.Cancelled);
    }

    [Fact]
    public async Task Stdout_and_stderr_are_streamed_to_the_sinks_and_captured()
    {
        using var dir = new TempDirectory();
        var (result, stdout, stderr) = await RunAsync(Create(), Spec(dir, "echo to-out; echo to-err >&2"));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("to-out\n", stdout);
        Assert.Equal("to-err\n", stderr);
        Assert.Equal("to-out\n", Encoding.UTF8.GetString(result.Stdout.ToArray()));
        Assert.Equal("to-err\n", Encoding.UTF8.GetString(result.Stderr.ToArray()));
    }

    [Fact]
    public async Task The_seed_and_variables_reach_the_child()
    {
        using var dir = new TempDirectory();
        var variables = new Dictionary<string, string> { ["REPRO_SEED"] = "42", ["PYTHONHASHSEED"] = "42", ["MY_SETTING"] = "a b" };
        var (result, stdout, _) = await RunAsync(Create(), Spec(dir, "printf '%s|%s|%s' \"$REPRO_SEED\" \"$PYTHONHASHSEED\" \"$MY_SETTING\"", variables));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("42|42|a b", stdout);
    }

    [Fact]
    public async Task Declared_outputs_written_by_the_command_are_in_the_workspace_afterwards()
    {
        using var dir = new TempDirectory();
        var spec = Spec(dir, "echo model > model.txt && mkdir -p reports && echo 0.9 > reports/acc.txt", null, "model.txt", "reports/acc.txt");
        var (result, _, stderr) = await RunAsync(Create(), spec);
        Assert.True(result.ExitCode == 0, stderr);
        Assert.Equal("model\n", await File.ReadAllTextAsync(dir.Combine("model.txt")));
        Assert.Equal("0.9\n", await File.ReadAllTextAsync(dir.Combine("reports", "acc.txt")));
    }

    [Fact]
    public async Task A_declared_output_the_command_never_writes_is_not_left_behind()
    {
        using var dir = new TempDirectory();
        var (result, _, _) = await RunAsync(Create(), Spec(dir, "true", null, "never.txt", "models/never.pkl"));
        Assert.Equal(0, result.ExitCode);
        Assert.False(File.Exists(dir.Combine("never.txt")));
        Assert.False(Directory.Exists(dir.Combine("models")));
    }

    [Fact]
    public async Task Cancelling_stops_the_child_and_returns_cancelled()
    {
        using var dir = new TempDirectory();
        var executor = Create();
        var spec = Spec(dir, "echo started > started.txt; exec sleep 600", null, "started.txt");
        using var cancel = new CancellationTokenSource();
        await executor.PrepareAsync(spec, CancellationToken.None);
        var run = executor.RunAsync(spec, Stream.Null, Stream.Null, TimeProvider.System, cancel.Token);
        while (!File.Exists(dir.Combine("started.txt")) || new FileInfo(dir.Combine("started.txt")).Length == 0)
        {
            Assert.False(run.IsCompleted, "the command ended before it was cancelled");
            await Task.Delay(20);
        }

        await cancel.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(result.Cancelled);
        Assert.NotEqual(0, result.ExitCode);
    }

    [Fact]
    public async Task A_missing_executable_cannot_execute()
    {
        using var dir = new TempDirectory();
        var spec = Spec(dir, "true");
        spec = spec with { Process = spec.Process with { Executable = dir.Combine("no-such-program") } };
        var executor = Create();
        var error = await Assert.ThrowsAsync<ReproException>(async () =>
        {
            await executor.PrepareAsync(spec, CancellationToken.None);
            await executor.RunAsync(spec, Stream.Null, Stream.Null, TimeProvider.System, CancellationToken.None);
        });
        Assert.Equal(ExitCode.CannotExecute, error.Code);
        Assert.Contains("no-such-program", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Describe_names_the_executor_after_a_run()
    {
        using var dir = new TempDirectory();
        var executor = Create();
        await RunAsync(executor, Spec(dir, "true"));
        Assert.Equal(ExpectedName, executor.Name);
        Assert.Equal(ExpectedName, executor.Describe().Name);
    }
}
