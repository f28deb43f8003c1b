using System.Text.Json;
using Repro.Tests.Shared;

namespace Repro.Cli.Tests;

/// <summary><c>repro run|verify --executor container</c> with real podman and the tests' image (scripts/setup installs podman and runc).</summary>
public sealed class ContainerEndToEndTests
{
    private const string Train = """
        import os, sys
        seed = int(os.environ["REPRO_SEED"])
        os.makedirs("out", exist_ok=True)
        open("out/model.txt", "w").write(f"weights for seed {seed}\n")
        open("metrics.json", "w").write('{"acc": %s}' % (0.5 + seed / 100))
        print("trained in", sys.executable, "hashseed", os.environ["PYTHONHASHSEED"])
        """;

    private static async Task<Workdir> WorkspaceAsync()
    {
        var dir = new Workdir();
        await dir.InitAsync();
        dir.Write("train.py", Train);
        return dir;
    }

    private static async Task<ReproProcess.Result> RunInAsync(Workdir dir, string image) =>
        await dir.ReproAsync("run", "--executor", "container", "--image", image, "--seed", "3", "--out", "out/model.txt", "--metrics", "metrics.json", "--", "python3", "train.py");

    [Fact]
    public async Task A_run_in_the_image_records_its_output_metrics_image_id_and_the_python_inside()
    {
        using var dir = await WorkspaceAsync();
        var image = await TestImage.TagAsync();

        var run = await RunInAsync(dir, image);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("trained in /usr/bin/python3 hashseed 3", run.Stdout, StringComparison.Ordinal);
        Assert.Equal("weights for seed 3\n", File.ReadAllText(dir.Combine("out", "model.txt")));
        var manifest = await dir.ManifestAsync();
        var environment = manifest.GetProperty("environment");
        var executor = environment.GetProperty("executor");
        Assert.Equal("container", executor.GetProperty("name").GetString());
        var details = executor.GetProperty("details");
        Assert.Equal("podman", details.GetProperty("engine").GetString());
        Assert.Equal(image, details.GetProperty("image").GetString());
        Assert.Equal("sha256:" + await TestImage.PodmanAsync("image", "inspect", "--format", "{{.Id}}", image), details.GetProperty("imageId").GetString());
        Assert.Equal(await TestImage.PodmanAsync("image", "inspect", "--format", "{{.Digest}}", image), details.GetProperty("digest").GetString());
        Assert.Equal("none", details.GetProperty("network").GetString());
        var packages = environment.GetProperty("python").GetProperty("packages");
        Assert.Equal(TestImage.InsideVersion, packages.GetProperty(TestImage.InsidePackage).GetString());
        Assert.False(packages.TryGetProperty("numpy", out _), "the host's packages were probed, not the image's");
        Assert.Equal("/usr/bin/python3", manifest.GetProperty("execution").GetProperty("executable").GetString());
        Assert.Equal("container", manifest.GetProperty("execution").GetProperty("executor").GetString());
        Assert.Equal(0.53, manifest.GetProperty("metrics").GetProperty("values").GetProperty("acc").GetDouble());
        Assert.Equal("file", manifest.GetProperty("outputs")[0].GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Verify_re_runs_in_the_recorded_image_by_id_without_being_told()
    {
        using var dir = await WorkspaceAsync();
        var image = await TestImage.TagAsync();
        var run = await RunInAsync(dir, image);
        Assert.True(run.ExitCode == 0, run.ToString());
        var imageId = (await dir.ManifestAsync()).GetProperty("environment").GetProperty("executor").GetProperty("details").GetProperty("imageId").GetString();

        var verify = await dir.ReproAsync("verify", "@last", "--json");

        Assert.True(verify.ExitCode == 0, verify.ToString());
        using var report = JsonDocument.Parse(verify.Stdout);
        var reproduction = report.RootElement.GetProperty("reproduction_runs")[0].GetString()!;
        var details = (await dir.ManifestAsync(reproduction)).GetProperty("environment").GetProperty("executor").GetProperty("details");
        Assert.Equal(imageId, details.GetProperty("image").GetString());
        Assert.Equal(imageId, details.GetProperty("imageId").GetString());
    }

    [Fact]
    public async Task Verify_refuses_with_exit_3_naming_the_recorded_image_once_it_is_gone()
    {
        using var dir = await WorkspaceAsync();
        var tag = $"repro-test-gone:{Guid.NewGuid().ToString("N")[..8]}";
        await TestImage.ImportCopyAsync(tag);
        var run = await RunInAsync(dir, tag);
        Assert.True(run.ExitCode == 0, run.ToString());
        await TestImage.PodmanAsync("rmi", tag);

        var verify = await dir.ReproAsync("verify", "@last");

        Assert.True(verify.ExitCode == 3, verify.ToString());
        Assert.Contains($"the recorded image {tag}", verify.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_image_or_no_image_records_nothing()
    {
        using var dir = await WorkspaceAsync();
        var absent = $"repro-test:absent-{Guid.NewGuid().ToString("N")[..8]}";

        var missing = await dir.ReproAsync("run", "--executor", "container", "--image", absent, "--", "python3", "train.py");
        var none = await dir.ReproAsync("run", "--executor", "container", "--", "python3", "train.py");

        Assert.True(missing.ExitCode == 3, missing.ToString());
        Assert.Contains($"image {absent} is not present locally", missing.Stderr, StringComparison.Ordinal);
        Assert.True(none.ExitCode == 2, none.ToString());
        Assert.Contains("--executor container needs --image", none.Stderr, StringComparison.Ordinal);
        var runs = await dir.ReproAsync("runs", "--json");
        Assert.Equal(0, JsonDocument.Parse(runs.Stdout).RootElement.GetArrayLength());
    }
}
