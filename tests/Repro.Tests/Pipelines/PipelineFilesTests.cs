using Repro.Interop.Dvc;
using Repro.Recording.Pipelines;

namespace Repro.Tests.Pipelines;

public sealed class PipelineFilesTests
{
    [Fact]
    public void Param_values_compare_as_DVC_compares_them()
    {
        Assert.Equal(ParamValue.ResolvePlain("0.20"), ParamValue.ResolvePlain("0.2"));
        Assert.Equal(ParamValue.ResolvePlain("1"), ParamValue.ResolvePlain("1.0"));
        Assert.NotEqual(ParamValue.ResolvePlain("1"), ParamValue.Of("1"));
        Assert.Equal(ParamValueKind.Float, ParamValue.ResolvePlain("1e-3").Kind);
        Assert.Equal(ParamValueKind.Bool, ParamValue.ResolvePlain("true").Kind);
        Assert.Equal(ParamValueKind.String, ParamValue.ResolvePlain("yes").Kind); // YAML 1.2, as DVC's parser
        Assert.Equal(ParamValueKind.Null, ParamValue.ResolvePlain("~").Kind);
    }

    [Theory]
    [InlineData(0.2, "0.2")]
    [InlineData(3.0, "3.0")]
    [InlineData(1e-5, "1.0e-05")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(1e16, "1.0e+16")]
    [InlineData(123456.5, "123456.5")]
    [InlineData(-2.5e-7, "-2.5e-07")]
    [InlineData(0.0, "0.0")]
    public void Floats_are_written_as_pythons_yaml_dumper_writes_them(double value, string text) =>
        Assert.Equal(text, ParamValue.FormatFloat(value));

    [Fact]
    public void Stages_run_after_the_stages_whose_outputs_they_read()
    {
        using var dir = new TempDirectory();
        dir.Write("repro.yaml", "stages:\n  train:\n    cmd: t\n    deps: [data/features]\n    outs: [model]\n  featurize:\n    cmd: f\n    deps: [data/raw]\n    outs: [data/features]\n  report:\n    cmd: r\n    deps: [model/weights.bin]\n");
        var definition = ReproPipelineFile.Load(dir.Path);
        Assert.Equal(["featurize", "train", "report"], StageGraph.Order(definition, []).Select(s => s.Name));
        Assert.Equal(["featurize", "train"], StageGraph.Order(definition, ["train"]).Select(s => s.Name));
    }

    [Fact]
    public async Task A_stage_without_deps_params_or_outs_always_runs_as_in_DVC()
    {
        using var dir = new TempDirectory();
        dir.Write("repro.yaml", "stages:\n  notify:\n    cmd: echo done\n");
        var format = new ReproPipelineFormat(ReproPipelineFile.Load(dir.Path), new Sha256PipelineHasher(new Repro.Blobs.Storage.ContentCache(dir.Combine("cache")), Repro.Blobs.Hashing.NullStatCache.Instance, TimeProvider.System));
        var status = await new StageChecker(format).CheckAsync(format.Definition.Stages[0], new LockedStage { Name = "notify", Commands = ["echo done"] }, CancellationToken.None);
        Assert.Equal(["always changed (no deps, params or outs)"], status.Changes);
        Assert.Equal(["notify"], StageGraph.Order(format.Definition, ["repro.yaml:notify"]).Select(s => s.Name));
    }

    [Fact]
    public void Repro_yaml_with_stages_comes_before_dvc_yaml()
    {
        using var dir = new TempDirectory();
        dir.Write("dvc.yaml", "stages:\n  d:\n    cmd: echo d\n");
        dir.Write("repro.yaml", "verify:\n  rtol: 1e-3\n");
        var cache = new Repro.Blobs.Storage.ContentCache(dir.Combine("cache"));
        Assert.Equal(PipelineKind.Dvc, PipelineProject.Open(dir.Path, cache, null, TimeProvider.System).Definition.Kind);
        dir.Write("repro.yaml", "verify:\n  rtol: 1e-3\nstages:\n  r:\n    cmd: echo r\n");
        Assert.Equal(PipelineKind.Repro, PipelineProject.Open(dir.Path, cache, null, TimeProvider.System).Definition.Kind);
    }

    [Fact]
    public void A_cycle_is_an_error_that_names_it()
    {
        using var dir = new TempDirectory();
        dir.Write("repro.yaml", "stages:\n  a:\n    cmd: a\n    deps: [c.txt]\n    outs: [a.txt]\n  b:\n    cmd: b\n    deps: [a.txt]\n    outs: [b.txt]\n  c:\n    cmd: c\n    deps: [b.txt]\n    outs: [c.txt]\n");
        var error = Assert.Throws<ReproException>(() => StageGraph.Order(ReproPipelineFile.Load(dir.Path), []));
        Assert.Equal(ExitCode.Usage, error.Code);
        Assert.Contains("cycle: a -> c -> b -> a", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("stages:\n  train:\n    cmd: x\n    dep: [a]\n", "stage 'train': unknown key 'dep'")]
    [InlineData("stage:\n  train:\n    cmd: x\n", "unknown top-level key 'stage'")]
    [InlineData("stages:\n  train:\n    deps: [a]\n", "stage 'train': missing 'cmd'")]
    [InlineData("stages:\n  train:\n    cmd: x\n    outs:\n    - m.bin:\n        cahce: false\n", "'m.bin': unknown key 'cahce'")]
    [InlineData("stages:\n  train:\n    foreach: [1, 2]\n    do:\n      cmd: x\n", "'foreach' stages are not supported")]
    public void Bad_pipeline_files_name_the_key_and_the_stage(string yaml, string message)
    {
        using var dir = new TempDirectory();
        dir.Write("repro.yaml", yaml);
        var error = Assert.Throws<ReproException>(() => ReproPipelineFile.Load(dir.Path));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dep_outside_the_workspace_is_refused()
    {
        using var dir = new TempDirectory();
        dir.Write("repro.yaml", "stages:\n  train:\n    cmd: x\n    deps: [../../etc/passwd]\n");
        var error = Assert.Throws<ReproException>(() => StageGraph.Order(ReproPipelineFile.Load(dir.Path), []));
        Assert.Contains("stage 'train': dep '../../etc/passwd' is outside the workspace", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dep_that_is_a_symlink_out_of_the_workspace_is_refused()
    {
        using var outside = new TempDirectory();
        using var dir = new TempDirectory();
        var secret = outside.Write("secret.txt", "s\n");
        File.CreateSymbolicLink(dir.Combine("data.txt"), secret);
        dir.Write("repro.yaml", "stages:\n  train:\n    cmd: cat data.txt\n    deps: [data.txt]\n");
        var format = new ReproPipelineFormat(ReproPipelineFile.Load(dir.Path), new Sha256PipelineHasher(new Repro.Blobs.Storage.ContentCache(dir.Combine("cache")), Repro.Blobs.Hashing.NullStatCache.Instance, TimeProvider.System));
        var error = await Assert.ThrowsAsync<ReproException>(() => PipelineProject.StatusAsync(format, CancellationToken.None));
        Assert.Contains("dep 'data.txt' is a symlink to", error.Message, StringComparison.Ordinal);
        Assert.Contains("outside the workspace", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_repro_lock_round_trips_in_a_stable_order()
    {
        using var dir = new TempDirectory();
        dir.Write("repro.yaml", "stages:\n  a:\n    cmd: echo a\n  b:\n    cmd: [echo 1, echo 2]\n");
        var definition = ReproPipelineFile.Load(dir.Path);
        var sha = new string('a', 64);
        var pipelineLock = PipelineLock.Empty
            .With(new LockedStage { Name = "b", Commands = ["echo 1", "echo 2"], CommandIsList = true, RunId = "r2", Outs = [new LockedArtifact { Path = "z", Hash = sha, HashName = "sha256", Size = 3 }, new LockedArtifact { Path = "d", Hash = sha, HashName = "sha256", Size = 9, Files = 2 }] })
            .With(new LockedStage { Name = "a", Commands = ["echo a"], Seed = 7, Params = [new LockedParams { File = "p.yaml", Values = [new("z", ParamValue.Of("0.5")), new("a", ParamValue.Of(0.5))] }] });
        var text = ReproLockFile.Render(pipelineLock, definition);
        Assert.Equal(
            "# Written by `repro pipeline run`: each stage's inputs and outputs when it last ran. Commit it with repro.yaml.\n"
            + "schema: '1'\nstages:\n  a:\n    cmd: echo a\n    seed: 7\n    params:\n      p.yaml:\n        a: 0.5\n        z: '0.5'\n"
            + $"  b:\n    cmd:\n    - echo 1\n    - echo 2\n    run: r2\n    outs:\n    - path: d\n      sha256: {sha}\n      size: 9\n      nfiles: 2\n    - path: z\n      sha256: {sha}\n      size: 3\n",
            text);
        File.WriteAllText(definition.LockPath, text);
        var read = ReproLockFile.Read(definition.LockPath);
        Assert.Equal(text, ReproLockFile.Render(read, definition));
        Assert.Equal(ParamValue.Of("0.5"), read.Find("a")!.Params[0].Values.Single(v => v.Key == "z").Value);
    }

    [Theory]
    [InlineData("schema: '1'\nstages:\n  a:\n    cmd: x\n    deps:\n    - path: a\n      sha256: nothex\n", "repro.lock is malformed: stage 'a': a: sha256 must be 64 lower-case hex digits")]
    [InlineData("schema: '1'\nstages: [\n", "repro.lock: malformed YAML")]
    [InlineData("schema: '9'\n", "repro.lock is malformed: expected schema: '1'")]
    public void A_malformed_lock_is_one_clear_error(string text, string message)
    {
        using var dir = new TempDirectory();
        var path = dir.Write("repro.lock", text);
        var error = Assert.Throws<ReproException>(() => ReproLockFile.Read(path));
        Assert.Equal(ExitCode.Usage, error.Code);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
