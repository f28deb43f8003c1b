using System.Diagnostics;
using System.Text.Json;

namespace Repro.Cli.Tests.Mlflow;

/// <summary>While <c>repro ui</c> serves a workspace, <c>repro run</c> hands an MLflow script its tracking URI and run id.</summary>
public sealed class ReproRunLinkTests
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public async Task An_mlflow_script_under_repro_run_logs_onto_the_run_repro_records()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        dir.Write("train.py", MlflowClientScripts.Train);
        using var ui = ReproProcess.Start(dir.Path, ["ui", "--port", "0"]);
        try
        {
            var serving = await ui.StandardOutput.ReadLineAsync();
            Assert.NotNull(serving);
            Assert.Contains("serving http://127.0.0.1:", serving, StringComparison.Ordinal);
            var file = dir.Combine(".repro", "ui.json");
            Assert.True(File.Exists(file));
            var discovered = JsonDocument.Parse(await File.ReadAllTextAsync(file)).RootElement;
            Assert.Equal(ui.Id, discovered.GetProperty("pid").GetInt32());
            Assert.False(discovered.GetProperty("token_required").GetBoolean());

            var run = await ReproProcess.RunWithAsync(dir.Path, new Dictionary<string, string?> { ["MLFLOW_TRACKING_URI"] = null, ["MLFLOW_RUN_ID"] = null }, null, "run", "--name", "mlflow-train", "--param", "epochs=3", "--", Python, "train.py");
            Assert.True(run.ExitCode == 0, run.ToString());

            var manifest = await dir.ManifestAsync("mlflow-train");
            var id = manifest.GetProperty("id").GetString();
            Assert.Equal(id, run.Stdout.Trim());
            Assert.Equal("run", manifest.GetProperty("kind").GetString());
            Assert.Equal("ok", manifest.GetProperty("status").GetString());
            Assert.Equal("0.01", manifest.GetProperty("params").GetProperty("lr").GetString());
            Assert.Equal("3", manifest.GetProperty("params").GetProperty("epochs").GetString());
            Assert.Equal("dev", manifest.GetProperty("tags").GetProperty("stage").GetString());
            Assert.Equal(3, manifest.GetProperty("metrics").GetProperty("steps").GetProperty("loss").GetArrayLength());
            Assert.Equal("tree", manifest.GetProperty("code").GetProperty("kind").GetString());
            Assert.Contains(Python, manifest.GetProperty("execution").GetProperty("command").EnumerateArray().Select(a => a.GetString()));

            // A variable the user set is left alone: this run logs nowhere, and repro records it as usual.
            var own = await ReproProcess.RunWithAsync(dir.Path, new Dictionary<string, string?> { ["MLFLOW_TRACKING_URI"] = "http://127.0.0.1:9", ["MLFLOW_RUN_ID"] = null }, null, "run", "--", Python, "-c", "import os; print(os.environ.get('MLFLOW_RUN_ID'))");
            Assert.True(own.ExitCode == 0, own.ToString());
            Assert.Equal("None", own.Stdout.Trim());
        }
        finally
        {
            Stop(ui);
        }

        Assert.False(File.Exists(dir.Combine(".repro", "ui.json")), "repro ui removes ui.json when it stops");
        var after = await ReproProcess.RunWithAsync(dir.Path, new Dictionary<string, string?> { ["MLFLOW_TRACKING_URI"] = null, ["MLFLOW_RUN_ID"] = null }, null, "run", "--", Python, "-c", "import os; print(os.environ.get('MLFLOW_TRACKING_URI'))");
        Assert.Equal("None", after.Stdout.Trim());
    }

    [Fact]
    public async Task A_stale_ui_file_is_ignored()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        using var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await gone.WaitForExitAsync();
        dir.Write(".repro/ui.json", $$"""{"url": "http://127.0.0.1:9/", "pid": {{gone.Id}}, "token_required": false}""");
        var run = await ReproProcess.RunWithAsync(dir.Path, new Dictionary<string, string?> { ["MLFLOW_TRACKING_URI"] = null, ["MLFLOW_RUN_ID"] = null }, null, "run", "--", Python, "-c", "import os; print(os.environ.get('MLFLOW_TRACKING_URI'))");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("None", run.Stdout.Trim());
    }

    private static void Stop(Process ui)
    {
        if (ui.HasExited)
        {
            return;
        }

        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", ui.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!)
        {
            kill.WaitForExit();
        }

        if (!ui.WaitForExit(30_000))
        {
            ui.Kill(entireProcessTree: true);
        }
    }
}
