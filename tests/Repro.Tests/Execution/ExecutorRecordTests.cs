using Repro.Model;
using Repro.Model.Serialization;

namespace Repro.Tests.Execution;

public sealed class ExecutorRecordTests
{
    [Fact]
    public void A_manifest_written_before_executors_serialises_to_the_same_bytes()
    {
        // No executor recorded: the key is absent, not null, so old manifests keep their digests.
        var old = RunStoreContract.Manifest("old");
        var json = System.Text.Encoding.UTF8.GetString(CanonicalJson.Serialize(old));
        using (var document = System.Text.Json.JsonDocument.Parse(json))
        {
            Assert.False(document.RootElement.GetProperty("environment").TryGetProperty("executor", out _));
        }

        var back = CanonicalJson.Deserialize<RunManifest>(json);
        Assert.Null(back.Environment.Executor);
        Assert.Equal(json, System.Text.Encoding.UTF8.GetString(CanonicalJson.Serialize(back)));
    }

    [Fact]
    public void The_executor_round_trips_in_the_environment_pillar()
    {
        var run = RunStoreContract.Manifest("sandboxed") with
        {
            Environment = new EnvironmentSnapshot { Executor = new ExecutorInfo { Name = "sandbox", Details = new Dictionary<string, string> { ["tool"] = "bubblewrap" } } },
        };
        var json = System.Text.Encoding.UTF8.GetString(CanonicalJson.Serialize(run));
        var back = CanonicalJson.Deserialize<RunManifest>(json);
        Assert.Equal("sandbox", back.Environment.Executor!.Name);
        Assert.Equal("bubblewrap", back.Environment.Executor.Details["tool"]);
        Assert.Equal(json, System.Text.Encoding.UTF8.GetString(CanonicalJson.Serialize(back)));
    }

    [Fact]
    public async Task A_change_of_executor_shows_in_the_run_diff()
    {
        var a = RunStoreContract.Manifest("a");
        var b = a with { Environment = new EnvironmentSnapshot { Executor = new ExecutorInfo { Name = "sandbox" } } };
        var same = a with { Environment = new EnvironmentSnapshot { Executor = new ExecutorInfo { Name = "local" } } };
        var differ = new Repro.Judging.Diffing.RunDiffer(null);
        var diff = await differ.DiffAsync(a, b, CancellationToken.None);
        Assert.Contains(diff.Hardware, d => d.Key == "executor" && d.A == "local" && d.B == "sandbox");
        Assert.DoesNotContain((await differ.DiffAsync(a, same, CancellationToken.None)).Hardware, d => d.Key == "executor");
    }
}
