using Repro.Interop.Dvc;
using Repro.Recording.Pipelines;

namespace Repro.Tests.Pipelines;

public sealed class DvcFilesTests
{
    [Fact]
    public void A_real_DVC_3_lock_file_reads_with_md5_entries_folders_and_param_values()
    {
        var pipelineLock = DvcLockFile.Read(Path.Combine(DvcFixtures.Dvc3, "dvc.lock"));
        Assert.Equal(["prepare", "featurize", "train", "evaluate"], pipelineLock.Stages.Select(s => s.Name));
        var prepare = pipelineLock.Find("prepare")!;
        Assert.Equal(["python src/prepare.py data/data.xml"], prepare.Commands);
        var data = prepare.Deps[0];
        Assert.Equal(("data/data.xml", "22a1a2931c8370d3aeedd7183606fd7f", DvcHasher.Md5, 14445097L), (data.Path, data.Hash, data.HashName, data.Size!.Value));
        var prepared = prepare.Outs[0];
        Assert.Equal(("153aad06d376b6595932470e459ef42a.dir", 2), (prepared.Hash, prepared.Files!.Value));
        var values = prepare.Params.Single(p => p.File == "params.yaml").Values;
        Assert.Equal(ParamValue.Of(0.2), values.Single(v => v.Key == "prepare.split").Value);
        Assert.Equal(ParamValue.Of(20170428L), values.Single(v => v.Key == "prepare.seed").Value);
    }

    [Fact]
    public void Entries_without_a_hash_field_are_DVC_2_dos2unix_md5s()
    {
        var pipelineLock = DvcLockFile.Read(Path.Combine(DvcFixtures.Dvc2, "dvc.lock"));
        Assert.All(pipelineLock.Stages.SelectMany(s => s.Deps.Concat(s.Outs)), a => Assert.Equal(DvcHasher.Md5Dos2Unix, a.HashName));
    }

    [Fact]
    public void A_real_dvc_yaml_reads_with_params_outs_flags_metrics_and_top_level_plots()
    {
        var definition = DvcPipelineFile.Load(DvcFixtures.Dvc2);
        var evaluate = definition.Stages.Single(s => s.Name == "evaluate");
        Assert.Equal(["eval/importance.png", "eval/live/plots", "eval/prc", "eval/live/metrics.json"], evaluate.Outs);
        Assert.Equal(["eval/live/metrics.json"], evaluate.Metrics);
        var train = definition.Stages.Single(s => s.Name == "train");
        Assert.Equal(["train.min_split", "train.n_est", "train.seed"], train.Params.Single().Keys);
        Assert.Equal(["prepare", "featurize", "train", "evaluate"], StageGraph.Order(definition, []).Select(s => s.Name));
        Assert.Equal(["prepare", "featurize"], StageGraph.Order(definition, ["featurize"]).Select(s => s.Name));
    }

    [Fact]
    public void A_real_dvc_file_reads_its_out_relative_to_its_folder()
    {
        var outs = DvcFile.Read(DvcFixtures.Dvc3, Path.Combine(DvcFixtures.Dvc3, "data", "data.xml.dvc"));
        var out_ = Assert.Single(outs);
        Assert.Equal(("data/data.xml.dvc", "data/data.xml", "22a1a2931c8370d3aeedd7183606fd7f", DvcHasher.Md5), (out_.DvcFile, out_.Path, out_.Recorded.Hash, out_.Recorded.HashName));
        var old = Assert.Single(DvcFile.Read(DvcFixtures.Dvc2, Path.Combine(DvcFixtures.Dvc2, "data", "data.xml.dvc")));
        Assert.Equal(DvcHasher.Md5Dos2Unix, old.Recorded.HashName);
    }

    [Fact]
    public void Rendering_a_real_lock_with_nothing_changed_gives_back_the_same_bytes()
    {
        foreach (var fixture in new[] { DvcFixtures.Dvc3, DvcFixtures.Dvc2 })
        {
            var path = Path.Combine(fixture, "dvc.lock");
            var text = DvcLockFile.Render(path, DvcLockFile.Read(path), new HashSet<string>());
            Assert.Equal(File.ReadAllText(path), text);
        }
    }

    [Fact]
    public void A_re_rendered_stage_is_written_in_DVCs_layout()
    {
        var path = Path.Combine(DvcFixtures.Dvc3, "dvc.lock");
        var pipelineLock = DvcLockFile.Read(path);
        var text = DvcLockFile.Render(path, pipelineLock, new HashSet<string> { "prepare", "featurize", "train", "evaluate" });
        Assert.Equal(File.ReadAllText(path), text);
    }

    [Fact]
    public async Task Workspace_check_tells_which_tracked_paths_match_the_lock_and_dvc_files()
    {
        using var dir = new TempDirectory();
        DvcFixtures.CopyTo(DvcFixtures.Dvc2, dir.Path);
        var hasher = new DvcHasher(dir.Path, Repro.Blobs.Hashing.NullStatCache.Instance, Repro.Blobs.Hashing.NullStatCache.Instance, TimeProvider.System);
        var status = await DvcProject.CheckWorkspaceAsync(dir.Path, hasher, CancellationToken.None);
        Assert.False(status.Matches);
        Assert.Equal(DvcEntryState.Unchanged, status.Entries.Single(e => e.Path == "eval/prc").State);
        Assert.Equal(DvcEntryState.Unchanged, status.Entries.Single(e => e.Path == "eval/live/metrics.json").State);
        Assert.Equal(DvcEntryState.Deleted, status.Entries.Single(e => e.Path == "model.pkl" && e.Role == "out").State);
        var xml = status.Entries.Single(e => e.Source == "data/data.xml.dvc");
        Assert.Equal((DvcEntryState.Deleted, "data/data.xml"), (xml.State, xml.Path));

        File.AppendAllText(dir.Combine("eval", "prc", "test.json"), " ");
        status = await DvcProject.CheckWorkspaceAsync(dir.Path, hasher, CancellationToken.None);
        Assert.Equal(DvcEntryState.Modified, status.Entries.Single(e => e.Path == "eval/prc").State);
    }
}
