using System.Collections;
using System.Text;
using Repro.Execution;
using Repro.Tests.Shared;

namespace Repro.Tests.Execution;

/// <summary>The container executor against real podman and a tiny image built from this machine's Python.</summary>
public sealed class ContainerExecutorTests
{
    private static ExecutionSpec Spec(TempDirectory dir, string[] command, IReadOnlyDictionary<string, string>? extra = null, IReadOnlyList<string>? readOnly = null, string? workingDirectory = null)
    {
        var environment = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        return new ExecutionSpec
        {
            Command = command,
            Process = new ChildProcessSpec { Executable = command[0], Arguments = command.Skip(1).ToList(), WorkingDirectory = workingDirectory ?? dir.Path, Environment = environment },
            WorkspaceRoot = dir.Path,
            ReadOnlyPaths = readOnly ?? [],
        };
    }

    private static async Task<(ChildProcessResult Result, string Stdout, string Stderr)> RunAsync(ContainerExecutor executor, ExecutionSpec spec, CancellationToken cancellationToken = default)
    {
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        await executor.PrepareAsync(spec, CancellationToken.None);
        var result = await executor.RunAsync(spec, stdout, stderr, TimeProvider.System, cancellationToken);
        return (result, Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()));
    }

    [Fact]
    public async Task The_command_runs_in_the_image_with_the_seed_and_result_variables_but_not_the_hosts_path_or_secrets()
    {
        using var dir = new TempDirectory();
        dir.Write("train.py", """
            import os, sys
            print(sys.executable, os.environ.get("REPRO_SEED"), os.environ.get("PYTHONHASHSEED"), os.environ.get("OMP_NUM_THREADS"), os.environ.get("REPRO_RUN_ID"))
            print("secret" if "MY_API_TOKEN" in os.environ else "no-secret", os.environ["PATH"], os.getcwd())
            print("to stderr", file=sys.stderr)
            sys.exit(3)
            """);
        var executor = new ContainerExecutor(new ContainerSettings { Image = await TestImage.TagAsync() });
        var spec = Spec(dir, ["python3", "train.py"], new Dictionary<string, string>
        {
            ["REPRO_SEED"] = "42",
            ["PYTHONHASHSEED"] = "42",
            ["OMP_NUM_THREADS"] = "1",
            ["REPRO_RUN_ID"] = "abc123",
            ["MY_API_TOKEN"] = "hunter2",
            ["PATH"] = "/nowhere:" + System.Environment.GetEnvironmentVariable("PATH"),
        });

        var (result, stdout, stderr) = await RunAsync(executor, spec);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal($"/usr/bin/python3 42 42 1 abc123\nno-secret /usr/local/bin:/usr/bin:/bin {dir.Path}\n", stdout);
        Assert.Equal("to stderr\n", stderr);
        Assert.Equal(stdout, Encoding.UTF8.GetString(result.Stdout.ToArray()));
        Assert.DoesNotContain(executor.RunArguments(spec, "n", spec.Command), a => a.Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_workspace_is_mounted_writable_at_its_path_and_the_cache_read_only()
    {
        using var dir = new TempDirectory();
        var cache = dir.Combine(".repro", "cache");
        dir.Write(".repro/cache/blob", "stored");
        dir.Write("sub/train.py", """
            import os
            open("../model.txt", "w").write("weights")
            try:
                open(os.environ["REPRO_TEST_CACHE"] + "/blob", "w").write("overwritten")
                print("cache writable")
            except OSError as e:
                print("cache read-only", e.errno)
            """);
        var executor = new ContainerExecutor(new ContainerSettings { Image = await TestImage.TagAsync() });
        var spec = Spec(dir, ["python3", "train.py"], new Dictionary<string, string> { ["REPRO_TEST_CACHE"] = cache }, [cache], dir.Combine("sub"));

        var (result, stdout, stderr) = await RunAsync(executor, spec);

        Assert.True(result.ExitCode == 0, stderr);
        Assert.Equal("cache read-only 30\n", stdout);
        Assert.Equal("weights", File.ReadAllText(dir.Combine("model.txt")));
        Assert.Equal("stored", File.ReadAllText(dir.Combine(".repro", "cache", "blob")));
    }

    [Fact]
    public async Task Without_a_network_option_the_container_has_only_loopback_and_host_gives_more()
    {
        using var dir = new TempDirectory();
        string[] command = ["python3", "-c", "import os; print(sorted(os.listdir('/sys/class/net')))"];
        var (isolated, stdout, _) = await RunAsync(new ContainerExecutor(new ContainerSettings { Image = await TestImage.TagAsync() }), Spec(dir, command));
        var (_, hostStdout, _) = await RunAsync(new ContainerExecutor(new ContainerSettings { Image = await TestImage.TagAsync(), Network = "host" }), Spec(dir, command));

        Assert.Equal(0, isolated.ExitCode);
        Assert.Equal("['lo']\n", stdout);
        Assert.NotEqual("['lo']\n", hostStdout);
    }

    [Fact]
    public async Task The_environment_pillar_gets_engine_image_id_and_digest_from_podman()
    {
        using var dir = new TempDirectory();
        var tag = await TestImage.TagAsync();
        var executor = new ContainerExecutor(new ContainerSettings { Image = tag });
        await RunAsync(executor, Spec(dir, ["true"]));

        var info = executor.Describe();
        Assert.Equal("container", info.Name);
        Assert.Equal("podman", info.Details["engine"]);
        Assert.Equal(tag, info.Details["image"]);
        Assert.Equal(await TestImage.PodmanAsync("image", "inspect", "--format", "{{.Id}}", tag), info.Details["imageId"].Replace("sha256:", string.Empty, StringComparison.Ordinal));
        Assert.Equal(await TestImage.PodmanAsync("image", "inspect", "--format", "{{.Digest}}", tag), info.Details["digest"]);
        Assert.Equal("none", info.Details["network"]);
        Assert.Matches(@"^\d+\.\d+", info.Details["engineVersion"]);
    }

    [Fact]
    public async Task The_python_probe_runs_inside_the_image_and_sees_its_distributions_not_the_hosts()
    {
        using var dir = new TempDirectory();
        var executor = new ContainerExecutor(new ContainerSettings { Image = await TestImage.TagAsync() });
        var (info, error) = await executor.ProbePythonAsync(Spec(dir, ["python3", "x.py"]), "python3", CancellationToken.None);

        Assert.True(info is not null, error);
        Assert.Equal("/usr/bin/python3", info.Executable);
        Assert.Equal(TestImage.InsideVersion, info.Packages[TestImage.InsidePackage]);
        Assert.DoesNotContain("numpy", info.Packages.Keys);
    }

    [Fact]
    public async Task An_image_that_is_not_present_locally_cannot_execute_and_is_named()
    {
        using var dir = new TempDirectory();
        var executor = new ContainerExecutor(new ContainerSettings { Image = "repro-test:absent-" + Guid.NewGuid().ToString("N")[..8] });
        var error = await Assert.ThrowsAsync<ReproException>(() => executor.PrepareAsync(Spec(dir, ["true"]), CancellationToken.None));

        Assert.Equal(ExitCode.CannotExecute, error.Code);
        Assert.Contains(executor.Settings.Image, error.Message, StringComparison.Ordinal);
        Assert.Contains("never pulls", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_executable_missing_from_the_image_cannot_execute_even_when_the_host_has_it()
    {
        using var dir = new TempDirectory();
        var executor = new ContainerExecutor(new ContainerSettings { Image = await TestImage.TagAsync() });
        var error = await Assert.ThrowsAsync<ReproException>(() => RunAsync(executor, Spec(dir, ["git", "--version"])));

        Assert.Equal(ExitCode.CannotExecute, error.Code);
        Assert.Equal($"cannot start 'git' in image {executor.Settings.Image}: not found in the image (looked up on the image's PATH)", error.Message);
    }

    [Fact]
    public async Task Cancelling_interrupts_the_command_and_leaves_no_container_behind()
    {
        using var dir = new TempDirectory();
        dir.Write("wait.py", """
            import time, pathlib
            pathlib.Path("started").write_text("yes")
            try:
                time.sleep(60)
            except KeyboardInterrupt:
                print("interrupted", flush=True)
                raise SystemExit(130)
            """);
        var executor = new ContainerExecutor(new ContainerSettings { Image = await TestImage.TagAsync() });
        var runId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        var spec = Spec(dir, ["python3", "wait.py"], new Dictionary<string, string> { ["REPRO_RUN_ID"] = runId });
        using var cancel = new CancellationTokenSource();
        var running = RunAsync(executor, spec, cancel.Token);
        while (!File.Exists(dir.Combine("started")))
        {
            await Task.Delay(50);
        }

        await cancel.CancelAsync();
        var (result, stdout, _) = await running;

        Assert.True(result.Cancelled);
        Assert.Equal("interrupted\n", stdout);
        Assert.Equal(130, result.ExitCode);
        var exists = await Capture.ProcessCapture.RunAsync(TestImage.Podman, ["container", "exists", $"repro-{runId}"], null, null, CancellationToken.None);
        Assert.Equal(1, exists!.ExitCode);
    }
}
