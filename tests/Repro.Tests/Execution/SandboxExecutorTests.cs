using System.Net;
using System.Net.Sockets;
using Repro.Execution;
using Repro.Model;

namespace Repro.Tests.Execution;

/// <summary>The contract, plus what the sandbox keeps the command from doing. Needs Debian's bubblewrap (scripts/setup installs it).</summary>
public sealed class SandboxExecutorTests : ExecutorContract
{
    protected override string ExpectedName => "sandbox";

    protected override IExecutor Create() => SandboxExecutor.Create();

    [Fact]
    public async Task The_command_cannot_connect_to_a_listener_on_the_hosts_loopback()
    {
        using var dir = new TempDirectory();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var connect = $"exec /usr/bin/python3 -c \"import socket; socket.create_connection(('127.0.0.1', {port}), timeout=5).close()\"";

        // The same command reaches the listener outside the sandbox, so the failure inside is the sandbox's doing.
        var (local, _, localError) = await RunAsync(LocalExecutor.Instance, Spec(dir, connect));
        Assert.True(local.ExitCode == 0, localError);

        var (sandboxed, _, error) = await RunAsync(Create(), Spec(dir, connect));
        Assert.NotEqual(0, sandboxed.ExitCode);
        Assert.Contains("Connection refused", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_command_sees_only_loopback()
    {
        using var dir = new TempDirectory();
        var (result, stdout, stderr) = await RunAsync(Create(), Spec(dir, "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '"));
        Assert.True(result.ExitCode == 0, stderr);
        Assert.Equal("lo\n", stdout);
    }

    [Fact]
    public async Task The_command_cannot_write_an_undeclared_workspace_file_but_can_write_its_declared_out()
    {
        using var dir = new TempDirectory();
        dir.Write("train.py", "print('code')\n");
        var spec = Spec(dir, "echo model > model.txt; echo x > undeclared.txt; echo y >> train.py; rm -f train.py; echo end", null, "model.txt");
        var (result, stdout, stderr) = await RunAsync(Create(), spec);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("end\n", stdout);
        Assert.Contains("Read-only file system", stderr, StringComparison.Ordinal);
        Assert.Equal("model\n", await File.ReadAllTextAsync(dir.Combine("model.txt")));
        Assert.False(File.Exists(dir.Combine("undeclared.txt")));
        Assert.Equal("print('code')\n", await File.ReadAllTextAsync(dir.Combine("train.py")));
    }

    [Fact]
    public async Task A_declared_output_folder_ending_in_a_slash_is_writable_inside()
    {
        using var dir = new TempDirectory();
        var (result, stdout, stderr) = await RunAsync(Create(), Spec(dir, "echo a > models/a.bin && mkdir models/sub && echo b > models/sub/b.bin", null, "models/"));
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {stdout}{stderr}");
        Assert.Equal("b\n", await File.ReadAllTextAsync(dir.Combine("models", "sub", "b.bin")));
    }

    [Fact]
    public async Task The_command_sees_a_private_empty_tmp()
    {
        using var dir = new TempDirectory();
        var marker = Path.Combine(Path.GetTempPath(), "repro-sandbox-marker-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(marker, "host");
        var leaked = Path.Combine(Path.GetTempPath(), "repro-sandbox-leak-" + Guid.NewGuid().ToString("N"));
        try
        {
            // /tmp holds only the folders leading to the workspace (bound back in), nothing of the host's.
            var script = $"test ! -e {marker} || exit 10; echo inside > {leaked} || exit 11; find /tmp -maxdepth 1 | sort";
            var (result, stdout, stderr) = await RunAsync(Create(), Spec(dir, script));
            Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {stderr}");
            Assert.False(File.Exists(leaked));
            var expected = new List<string> { "/tmp" };
            if (dir.Path.StartsWith("/tmp/", StringComparison.Ordinal))
            {
                expected.Add("/tmp/" + dir.Path["/tmp/".Length..].Split('/')[0]);
            }

            expected.Add(leaked);
            Assert.Equal(expected.Order(StringComparer.Ordinal), stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        }
        finally
        {
            File.Delete(marker);
        }
    }

    [Fact]
    public async Task The_cache_is_read_only_even_outside_the_workspace_tree()
    {
        using var dir = new TempDirectory();
        using var cache = new TempDirectory();
        cache.Write("blob", "content");
        var spec = Spec(dir, $"cat {cache.Combine("blob")}; echo changed > {cache.Combine("blob")}") with { ReadOnlyPaths = [cache.Path] };
        var (result, stdout, _) = await RunAsync(Create(), spec);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal("content", stdout);
        Assert.Equal("content", await File.ReadAllTextAsync(cache.Combine("blob")));
    }

    [Fact]
    public async Task The_environment_pillar_records_the_tool_its_version_and_what_was_isolated()
    {
        using var dir = new TempDirectory();
        var executor = Create();
        await RunAsync(executor, Spec(dir, "true"));
        ExecutorInfo info = executor.Describe();
        Assert.Equal("bubblewrap", info.Details["tool"]);
        Assert.Matches(@"^\d+\.\d+", info.Details["version"]);
        Assert.Equal("own namespace, loopback only", info.Details["network"]);
        Assert.Equal("private tmpfs", info.Details["tmp"]);
    }
}
