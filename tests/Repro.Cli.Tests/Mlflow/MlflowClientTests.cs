using System.Diagnostics;
using System.Text.Json;
using Repro.Model;

namespace Repro.Cli.Tests.Mlflow;

/// <summary>The call sequences of MLflow's Python client, replayed by a real Python against a real server.</summary>
public sealed class MlflowClientTests
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public async Task The_python_client_sequence_of_start_log_and_end_records_a_finished_repro_run()
    {
        await using var server = await TrackingServer.StartAsync();
        var (exit, stdout, stderr) = await RunPythonAsync(server, MlflowClientScripts.Train);
        Assert.True(exit == 0, stderr);
        var id = stdout.Trim();

        var stored = await server.Runs.GetAsync(id, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(RunStatus.Ok, stored.Manifest.Status);
        Assert.Equal("0.01", stored.Manifest.Params["lr"]);
        Assert.Equal("dev", stored.Manifest.Tags["stage"]);
        Assert.Equal("train.py", stored.Manifest.Tags["mlflow.source.name"]);
        Assert.True(stored.Manifest.Tags.ContainsKey("mlflow.runName"));
        Assert.Equal([0.9, 0.5, 0.25], stored.Manifest.Metrics.Steps["loss"].Select(s => s.Value));
        Assert.Equal(0.25, stored.Manifest.Metrics.Values["loss"]);
    }

    [Fact]
    public async Task The_python_client_finds_runs_by_mlflow_filter_and_reads_the_metric_history()
    {
        await using var server = await TrackingServer.StartAsync();
        var ids = new List<string>();
        foreach (var (lr, loss) in new[] { ("0.01", "0.3"), ("0.1", "0.2"), ("0.01", "0.1") })
        {
            var (exit, stdout, stderr) = await RunPythonAsync(server, MlflowClientScripts.Train, lr, loss);
            Assert.True(exit == 0, stderr);
            ids.Add(stdout.Trim());
        }

        var (code, output, error) = await RunPythonAsync(server, MlflowClientScripts.Search, "params.lr = '0.01' and metrics.loss < 0.5");
        Assert.True(code == 0, error);
        var result = JsonDocument.Parse(output).RootElement;
        Assert.Equal([ids[2], ids[0]], result.GetProperty("ids").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("[[0,0.9],[1,0.5],[2,0.1]]", result.GetProperty("history").GetRawText());

        var (bad, _, message) = await RunPythonAsync(server, MlflowClientScripts.Search, "params.lr = = '0.01'");
        Assert.NotEqual(0, bad);
        Assert.Contains("HTTP 400", message, StringComparison.Ordinal);
        Assert.Contains("INVALID_PARAMETER_VALUE", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_token_the_python_client_needs_mlflow_tracking_token()
    {
        const string Token = "0123456789abcdef0123456789abcdef";
        await using var server = await TrackingServer.StartAsync(Token);
        var (refused, _, error) = await RunPythonAsync(server, MlflowClientScripts.Train);
        Assert.NotEqual(0, refused);
        Assert.Contains("HTTP 401", error, StringComparison.Ordinal);
        var (ok, _, stderr) = await RunPythonAsync(server, MlflowClientScripts.Train, new Dictionary<string, string> { ["MLFLOW_TRACKING_TOKEN"] = Token });
        Assert.True(ok == 0, stderr);
    }

    private static Task<(int Exit, string Stdout, string Stderr)> RunPythonAsync(TrackingServer server, string script, params string[] args) =>
        RunPythonAsync(server, script, new Dictionary<string, string>(), args);

    private static async Task<(int Exit, string Stdout, string Stderr)> RunPythonAsync(TrackingServer server, string script, Dictionary<string, string> environment, params string[] args)
    {
        Assert.True(File.Exists(Python), "Debian's python3 is needed (scripts/setup installs it)");
        var path = Path.Combine(server.Root, $"client-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(path, script);
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = server.Root };
        info.ArgumentList.Add(path);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["MLFLOW_TRACKING_URI"] = server.Url.ToString();
        info.Environment.Remove("MLFLOW_RUN_ID");
        info.Environment.Remove("MLFLOW_TRACKING_TOKEN");
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }
}
