using Repro.Judging.Comparison;
using Repro.Judging.Diffing;
using Repro.Judging.Verification;
using Repro.Model;
using Repro.Model.Verdicts;

namespace Repro.Tests;

public sealed class DiffingTests
{
    private static RunManifest With(Func<RunManifest, RunManifest> change) => change(RunStoreContract.Manifest("x"));

    [Fact]
    public async Task Identical_pillars_give_no_causes_but_the_missing_seed_when_there_is_none()
    {
        var a = RunStoreContract.Manifest("x");
        var b = a with { Id = "other" };
        var d = await new RunDiffer(null).DiffAsync(a, b, CancellationToken.None);
        Assert.True(d.PillarsSame);
        Assert.Empty(d.Causes);

        var unseeded = a with { Seed = null };
        var d2 = await new RunDiffer(null).DiffAsync(unseeded, unseeded with { Id = "y" }, CancellationToken.None);
        Assert.Equal([CausePillar.Seed], d2.Causes.Select(c => c.Pillar));
    }

    [Fact]
    public async Task Causes_are_ranked_data_code_params_seed_packages_hardware_threads_env()
    {
        var a = With(m => m with
        {
            Deps = [new ArtifactRecord { Path = "train.csv", Kind = ArtifactKind.File, Sha256 = new string('a', 64) }],
            Code = new CodeSnapshot { Kind = "git", Commit = new string('1', 40) },
            Environment = new EnvironmentSnapshot
            {
                Python = new PythonInfo { Executable = "/usr/bin/python3", Version = "3.11.2", Packages = new Dictionary<string, string> { ["numpy"] = "1.24.2" } },
                Cpu = new CpuInfo { Model = "A", LogicalCores = 2, AvailableCores = 2, Flags = ["avx2"] },
                Variables = new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "1", ["TZ"] = "UTC" },
            },
        });
        var b = a with
        {
            Id = "b",
            Deps = [new ArtifactRecord { Path = "train.csv", Kind = ArtifactKind.File, Sha256 = new string('b', 64) }],
            Code = new CodeSnapshot { Kind = "git", Commit = new string('2', 40) },
            Params = new Dictionary<string, string> { ["lr"] = "0.2" },
            Seed = 7,
            Environment = a.Environment with
            {
                Python = a.Environment.Python! with { Packages = new Dictionary<string, string> { ["numpy"] = "1.26.4" } },
                Cpu = a.Environment.Cpu! with { Model = "B", Flags = ["avx2", "avx512f"] },
                Variables = new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "8", ["TZ"] = "Europe/Paris" },
            },
        };

        var d = await new RunDiffer(null).DiffAsync(a, b, CancellationToken.None);
        Assert.Equal(
            [CausePillar.Data, CausePillar.Code, CausePillar.Params, CausePillar.Seed, CausePillar.Packages, CausePillar.Hardware, CausePillar.Threads, CausePillar.Env],
            d.Causes.Select(c => c.Pillar));
        Assert.Contains("numpy 1.24.2 → 1.26.4", d.Causes.Single(c => c.Pillar == CausePillar.Packages).Detail, StringComparison.Ordinal);
        Assert.Contains(d.Hardware, h => h.Key == "cpu flags" && h.B == "avx2,avx512f");
        Assert.False(d.PillarsSame);
    }

    [Fact]
    public void A_patch_splits_into_per_file_sections()
    {
        var patch = "diff --git a/train.py b/train.py\nindex 1..2\n--- a/train.py\n+++ b/train.py\n@@ -1 +1 @@\n-a\n+b\ndiff --git a/new file.py b/new file.py\nnew file mode 100644\n";
        var sections = RunDiffer.SplitPatch(patch);
        Assert.Equal(["new file.py", "train.py"], sections.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("+b", sections["train.py"], StringComparison.Ordinal);
    }

    [Fact]
    public void Metrics_are_identical_equivalent_or_diverged_by_the_isclose_rule()
    {
        var options = new VerifyOptions { MetricTolerances = new Dictionary<string, Tolerance> { ["auc"] = new Tolerance(0, 0.01) } };
        var judged = MetricJudge.Judge(
            new Dictionary<string, double> { ["acc"] = 0.9, ["loss"] = 0.25, ["auc"] = 0.8, ["gone"] = 1, ["nan"] = double.NaN },
            new Dictionary<string, double> { ["acc"] = 0.9, ["loss"] = 0.25 + 1e-9, ["auc"] = 0.805, ["nan"] = double.NaN },
            options).ToDictionary(m => m.Key);
        Assert.Equal(Verdict.Identical, judged["acc"].Verdict);
        Assert.Equal(Verdict.Equivalent, judged["loss"].Verdict);
        Assert.Equal(Verdict.Equivalent, judged["auc"].Verdict);
        Assert.Equal("rtol=0, atol=0.01", judged["auc"].Tolerance);
        Assert.Equal(Verdict.Diverged, judged["gone"].Verdict);
        Assert.Equal(Verdict.Identical, judged["nan"].Verdict);
    }

    [Theory]
    [InlineData(1.0, 1.0 + 1e-6, true)]
    [InlineData(1.0, 1.0 + 1e-4, false)]
    [InlineData(0.0, 1e-9, true)]
    [InlineData(0.0, 1e-7, false)]
    [InlineData(double.NaN, double.NaN, true)]
    [InlineData(double.NaN, 1.0, false)]
    [InlineData(double.PositiveInfinity, double.PositiveInfinity, true)]
    [InlineData(double.PositiveInfinity, double.NegativeInfinity, false)]
    public void The_default_tolerance_matches_numpy_isclose(double original, double reproduced, bool expected) =>
        Assert.Equal(expected, Tolerance.Default.Within(original, reproduced));
}
