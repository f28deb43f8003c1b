using System.Text.Json;

namespace Repro.Cli.Tests.Mlflow;

/// <summary><c>repro import mlruns PATH</c> on a file store laid out exactly as MLflow's FileStore writes it.</summary>
public sealed class MlrunsImportTests
{
    private const string RunA = "4a1b2c3d4e5f40718293a4b5c6d7e8f9";
    private const string RunB = "0f9e8d7c6b5a49382716a5b4c3d2e1f0";
    private const string DeletedRun = "11112222333344445555666677778888";
    private const string TrashedRun = "aaaabbbbccccddddeeeeffff00001111";
    private const string BrokenRun = "99990000aaaabbbbccccddddeeeeffff";

    [Fact]
    public async Task An_mlruns_folder_becomes_repro_runs_with_experiments_history_params_and_tags_once()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        WriteFileStore(dir.Combine("mlruns"));

        var first = await dir.ReproAsync("import", "mlruns", "mlruns");
        Assert.True(first.ExitCode == 1, first.ToString());
        Assert.Contains("imported 4 run(s) with 7 metric point(s); 0 already here; 1 skipped; 2 experiment(s) created", first.Stdout, StringComparison.Ordinal);
        Assert.Contains($"skipped 1/{BrokenRun}: metrics/loss line 2 is not 'timestamp value step'", first.Stderr, StringComparison.Ordinal);

        var a = await dir.ManifestAsync(RunA);
        Assert.Equal("ok", a.GetProperty("status").GetString());
        Assert.Equal("bold-fox-42", a.GetProperty("name").GetString());
        Assert.Equal("0.01", a.GetProperty("params").GetProperty("lr").GetString());
        Assert.Equal("relu", a.GetProperty("params").GetProperty("model/activation").GetString());
        Assert.Equal("bold-fox-42", a.GetProperty("tags").GetProperty("mlflow.runName").GetString());
        Assert.Equal("[{\"step\":0,\"value\":0.9},{\"step\":1,\"value\":0.5},{\"step\":2,\"value\":\"NaN\"}]", a.GetProperty("metrics").GetProperty("steps").GetProperty("loss").GetRawText());
        Assert.Equal(0.75, a.GetProperty("metrics").GetProperty("values").GetProperty("eval/acc").GetDouble());
        Assert.Equal(5.0, a.GetProperty("execution").GetProperty("wall_seconds").GetDouble());

        var b = await dir.ManifestAsync(RunB);
        Assert.Equal("failed", b.GetProperty("status").GetString());

        var runs = await dir.ReproAsync("runs", "--json", "--limit", "0");
        var ids = JsonDocument.Parse(runs.Stdout).RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Equal([RunB, DeletedRun, RunA, TrashedRun], ids.Order(StringComparer.Ordinal));

        var again = await dir.ReproAsync("import", "mlruns", "mlruns");
        Assert.Contains("imported 0 run(s) with 0 metric point(s); 4 already here; 1 skipped; 0 experiment(s) created", again.Stdout, StringComparison.Ordinal);
        var audit = await dir.ReproAsync("audit", "verify");
        Assert.True(audit.ExitCode == 0, audit.ToString());
    }

    [Fact]
    public async Task A_folder_that_is_not_an_mlruns_folder_is_a_usage_error()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        Directory.CreateDirectory(dir.Combine("empty"));
        var empty = await dir.ReproAsync("import", "mlruns", "empty");
        Assert.Equal(2, empty.ExitCode);
        Assert.Contains("is not an MLflow mlruns folder", empty.Stderr, StringComparison.Ordinal);
        var missing = await dir.ReproAsync("import", "mlruns", "nowhere");
        Assert.Equal(2, missing.ExitCode);
    }

    /// <summary>
    /// Two experiments, a deleted run, a deleted experiment in .trash, a nested metric key, an
    /// old-style metric line without a step, and a run with a broken metrics file.
    /// </summary>
    private static void WriteFileStore(string root)
    {
        Experiment(root, "0", "Default", "active");
        Experiment(root, "1", "churn", "active");
        File.WriteAllText(Path.Combine(root, "1", "tags", "team"), "risk");
        Experiment(Path.Combine(root, ".trash"), "2", "abandoned", "deleted");
        Directory.CreateDirectory(Path.Combine(root, "models"));

        Run(root, "0", RunA, "bold-fox-42", 3, "active", 1700000005000);
        Write(root, $"0/{RunA}/metrics/loss", "1700000001000 0.9 0\n1700000002000 0.5 1\n1700000003000 nan 2\n");
        Write(root, $"0/{RunA}/metrics/eval/acc", "1700000004000 0.75 2\n");
        Write(root, $"0/{RunA}/params/lr", "0.01");
        Write(root, $"0/{RunA}/params/model/activation", "relu");
        Write(root, $"0/{RunA}/tags/mlflow.runName", "bold-fox-42");
        Write(root, $"0/{RunA}/tags/mlflow.source.type", "LOCAL");

        Run(root, "1", RunB, "calm-owl-7", 4, "active", 1700000009000);
        Write(root, $"1/{RunB}/metrics/loss", "1700000006000 1.5\n1700000007000 1.25\n");
        Run(root, "1", DeletedRun, "quiet-seal-1", 5, "deleted", 1700000010000);
        Run(root, "1", BrokenRun, "sharp-wolf-3", 3, "active", 1700000010000);
        Write(root, $"1/{BrokenRun}/metrics/loss", "1700000006000 1.5 0\nnot a metric line\n");
        Run(Path.Combine(root, ".trash"), "2", TrashedRun, "eager-lark-9", 3, "active", 1700000012000);
        Write(root, $".trash/2/{TrashedRun}/metrics/loss", "1700000011000 2.0 0\n");
    }

    private static void Experiment(string parent, string id, string name, string stage)
    {
        var dir = Path.Combine(parent, id);
        Directory.CreateDirectory(Path.Combine(dir, "tags"));
        File.WriteAllText(Path.Combine(dir, "meta.yaml"), $"""
            artifact_location: {new Uri(dir).AbsoluteUri}
            creation_time: 1700000000000
            experiment_id: '{id}'
            last_update_time: 1700000000000
            lifecycle_stage: {stage}
            name: {name}

            """);
    }

    private static void Run(string parent, string experiment, string id, string name, int status, string stage, long end)
    {
        var dir = Path.Combine(parent, experiment, id);
        foreach (var sub in new[] { "metrics", "params", "tags", "artifacts" })
        {
            Directory.CreateDirectory(Path.Combine(dir, sub));
        }

        File.WriteAllText(Path.Combine(dir, "meta.yaml"), $"""
            artifact_uri: {new Uri(Path.Combine(dir, "artifacts")).AbsoluteUri}
            end_time: {end}
            entry_point_name: ''
            experiment_id: '{experiment}'
            lifecycle_stage: {stage}
            run_id: {id}
            run_name: {name}
            run_uuid: {id}
            source_name: ''
            source_type: 4
            source_version: ''
            start_time: {end - 5000}
            status: {status}
            tags: []
            user_id: alice

            """);
    }

    private static void Write(string root, string relative, string content)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
