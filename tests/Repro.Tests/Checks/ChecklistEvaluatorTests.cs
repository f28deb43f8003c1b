using Repro.Blobs.Storage;
using Repro.Checks.Checklist;
using Repro.Judging.Comparison;
using Repro.Model;
using Repro.Model.Verdicts;
using Repro.Model.Workspaces;
using Repro.Recording;

namespace Repro.Tests.Checks;

public sealed class ChecklistEvaluatorTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private SqlRunStore _store = null!;
    private ContentCache _cache = null!;
    private Workspace _workspace = null!;

    public async Task InitializeAsync()
    {
        _workspace = Workspace.Init(_dir.Path).Workspace;
        _store = await SqliteRunStore.OpenAsync(_workspace.DatabasePath, CancellationToken.None);
        _cache = new ContentCache(_workspace.CachePath);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    private static EnvironmentSnapshot Environment(string host = "a") => new()
    {
        Hostname = host,
        Os = new OsInfo("Debian GNU/Linux 12", "12", "debian"),
        Architecture = "x64",
        Cpu = new CpuInfo { Model = "cpu", LogicalCores = 2, AvailableCores = 2, Flags = ["avx2"] },
        Python = new PythonInfo { Executable = "/usr/bin/python3", Version = "3.11.2", Packages = new Dictionary<string, string> { ["numpy"] = "1.24.2" } },
    };

    private async Task<RunManifest> FullRunAsync(string name = "rf")
    {
        var blob = await _cache.AddBytesAsync("a,b\n1,2\n"u8.ToArray(), CancellationToken.None);
        return RunStoreContract.Manifest(name) with
        {
            Code = new CodeSnapshot { Kind = "git", Commit = new string('c', 40), Branch = "main" },
            Deps = [new ArtifactRecord { Path = "data.csv", Kind = ArtifactKind.File, Sha256 = blob.Sha256, Size = blob.Size, Cached = true }],
            Environment = Environment(),
            Determinism = new DeterminismProfile { Enabled = true, Variables = new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "1" } },
        };
    }

    private async Task<ChecklistResult> CheckAsync(RunManifest run)
    {
        var stored = await _store.GetAsync(run.Id, CancellationToken.None) ?? await _store.SaveAsync(run, CancellationToken.None);
        return await new ChecklistEvaluator(_store, _cache, _workspace).EvaluateAsync(stored, CancellationToken.None);
    }

    private static ChecklistItem Item(ChecklistResult result, string id) => result.Items.Single(i => i.Id == id);

    [Fact]
    public async Task A_run_outside_git_without_inputs_or_seed_is_R1_and_says_what_would_raise_it()
    {
        var result = await CheckAsync(RunStoreContract.Manifest() with { Seed = null });
        Assert.Equal(ReproducibilityLevel.R1, result.Level);
        Assert.Equal("R1 Description", result.LevelName);
        Assert.Equal(CheckStatus.Partial, Item(result, "code").Status);
        Assert.Equal(CheckStatus.Partial, Item(result, "data").Status);
        Assert.Equal(CheckStatus.No, Item(result, "seed").Status);
        Assert.Equal(CheckStatus.No, Item(result, "dependencies").Status);
        Assert.Equal("`repro lint` not run (no .repro/checks/lint.json)", Item(result, "lint").Evidence);
        Assert.Equal("run `repro lint` (it leaves .repro/checks/lint.json)", Item(result, "lint").Fix);
        Assert.Equal(CheckStatus.Partial, Item(result, "tried").Status);
        Assert.Contains(result.ToRaise, r => r.StartsWith("R2 Code:", StringComparison.Ordinal));
        Assert.Contains(result.ToRaise, r => r.StartsWith("R3 Data:", StringComparison.Ordinal));
        Assert.Contains(result.ToRaise, r => r.StartsWith("R4 Experiment:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Committed_code_cached_data_and_a_captured_environment_reach_R4()
    {
        var result = await CheckAsync(await FullRunAsync());
        Assert.Equal(ReproducibilityLevel.R4, result.Level);
        Assert.Empty(result.ToRaise);
        Assert.Equal(CheckStatus.Yes, Item(result, "code").Status);
        Assert.Equal(CheckStatus.Yes, Item(result, "data").Status);
        Assert.Equal(CheckStatus.Yes, Item(result, "determinism").Status);
        Assert.Contains("captured package list pins 1 distributions", Item(result, "dependencies").Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_blob_missing_from_the_cache_drops_data_to_partial_and_the_level_to_R2()
    {
        var run = await FullRunAsync() with { Deps = [new ArtifactRecord { Path = "big.bin", Kind = ArtifactKind.File, Sha256 = new string('0', 64), Size = 9, Cached = true }] };
        var result = await CheckAsync(run);
        Assert.Equal(CheckStatus.Partial, Item(result, "data").Status);
        Assert.Contains("big.bin (000000000000)", Item(result, "data").Evidence, StringComparison.Ordinal);
        Assert.Equal(ReproducibilityLevel.R2, result.Level);
        Assert.Equal("R3 Data: data hashed, every blob present in the cache — restore the missing blobs into .repro/cache", result.ToRaise[0]);
    }

    [Fact]
    public async Task A_pinned_requirements_file_counts_and_a_loose_one_is_partial_without_a_package_list()
    {
        _dir.Write("requirements.txt", "# pinned\nnumpy==1.24.2\nscikit-learn==1.2.1  # model\n");
        var run = RunStoreContract.Manifest();
        Assert.Equal("lock file in the workspace: requirements.txt", Item(await CheckAsync(run), "dependencies").Evidence);

        _dir.Write("requirements.txt", "numpy>=1.24\nscikit-learn==1.2.1\n");
        var loose = Item(await CheckAsync(run), "dependencies");
        Assert.Equal(CheckStatus.Partial, loose.Status);
        Assert.Contains("requirements.txt (1 of 2 requirements without ==)", loose.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_and_leak_results_left_in_repro_checks_are_read()
    {
        _dir.Write(".repro/checks/lint.json", "{\"findings\": 2, \"acknowledged\": 2}");
        _dir.Write(".repro/checks/leak.json", "{\"findings\": 1}");
        var result = await CheckAsync(RunStoreContract.Manifest());
        Assert.Equal(CheckStatus.Yes, Item(result, "lint").Status);
        Assert.Equal(CheckStatus.Partial, Item(result, "leakage").Status);

        _dir.Write(".repro/checks/lint.json", "{\"findings\": 3, \"acknowledged\": 1}");
        Assert.Equal(".repro/checks/lint.json: 2 finding(s) not acknowledged", Item(await CheckAsync(RunStoreContract.Manifest()), "lint").Evidence);

        _dir.Write(".repro/checks/lint.json", "not json");
        await Assert.ThrowsAsync<ReproException>(() => CheckAsync(RunStoreContract.Manifest()));
    }

    [Fact]
    public async Task A_passing_verification_whose_rerun_ran_on_another_host_counts_as_a_second_environment()
    {
        var run = await FullRunAsync();
        await _store.SaveAsync(run, CancellationToken.None);
        var rerun = RunStoreContract.Manifest() with { Kind = "verification", ParentId = run.Id, Environment = Environment("b") with { Python = Environment().Python! with { Packages = new Dictionary<string, string> { ["numpy"] = "1.26.4" } } } };
        await _store.SaveAsync(rerun, CancellationToken.None);
        await _store.SaveVerificationAsync(Verification(run.Id, rerun.Id, Verdict.Equivalent), CancellationToken.None);

        var result = await CheckAsync(run);
        Assert.Equal(CheckStatus.Yes, Item(result, "verified").Status);
        Assert.Equal(CheckStatus.Yes, Item(result, "second_environment").Status);
        Assert.Contains("differs in host, 1 package(s)", Item(result, "second_environment").Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_verification_that_compared_nothing_is_not_counted_as_verified()
    {
        var run = await FullRunAsync();
        await _store.SaveAsync(run, CancellationToken.None);
        var rerun = RunStoreContract.Manifest() with { Kind = "verification", ParentId = run.Id, Environment = Environment("b") };
        await _store.SaveAsync(rerun, CancellationToken.None);
        await _store.SaveVerificationAsync(Verification(run.Id, rerun.Id, Verdict.Unverified) with { Compared = [] }, CancellationToken.None);

        // An IDENTICAL written before printed text was judged, with no output or metric behind it, proves nothing either.
        await _store.SaveVerificationAsync(Verification(run.Id, rerun.Id, Verdict.Identical) with { Compared = null }, CancellationToken.None);

        var result = await CheckAsync(run);
        Assert.Equal(CheckStatus.No, Item(result, "verified").Status);
        Assert.Contains("compared nothing", Item(result, "verified").Evidence, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.No, Item(result, "second_environment").Status);
    }

    [Fact]
    public async Task A_diverged_verification_in_the_same_environment_is_no_and_no()
    {
        var run = await FullRunAsync();
        await _store.SaveAsync(run, CancellationToken.None);
        var rerun = run with { Id = RunId.New(), Kind = "verification", ParentId = run.Id };
        await _store.SaveAsync(rerun, CancellationToken.None);
        await _store.SaveVerificationAsync(Verification(run.Id, rerun.Id, Verdict.Diverged), CancellationToken.None);

        var result = await CheckAsync(run);
        Assert.Equal(CheckStatus.No, Item(result, "verified").Status);
        Assert.Contains("DIVERGED", Item(result, "verified").Evidence, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.No, Item(result, "second_environment").Status);
    }

    [Fact]
    public async Task Earlier_runs_of_the_same_name_and_a_five_seed_study_are_disclosed()
    {
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        for (var i = 0; i < 3; i++)
        {
            await _store.SaveAsync(RunStoreContract.Manifest("rf", created: start.AddMinutes(i)) with { Params = new Dictionary<string, string> { ["lr"] = i < 2 ? "0.1" : "0.3" } }, CancellationToken.None);
        }

        var run = await FullRunAsync() with { CreatedAt = start.AddMinutes(10) };
        await _store.SaveAsync(run, CancellationToken.None);
        var children = Enumerable.Range(1, 5).Select(seed => new StudyChild { RunId = RunId.New(), Seed = seed, Status = RunStatus.Ok, ExitCode = 0, Metrics = new Dictionary<string, double> { ["acc"] = 0.9 } }).ToList();
        var study = RunStoreContract.Manifest("rf-study") with
        {
            Kind = "study",
            Study = new StudyRecord { SourceRun = run.Id, Seeds = [1, 2, 3, 4, 5], Mode = "scratch", Children = children, Statistics = new Dictionary<string, Repro.Platform.Statistics.SampleSummary>(), Bootstrap = "b" },
        };
        await _store.SaveAsync(study, CancellationToken.None);

        var result = await CheckAsync(run);
        Assert.Equal("3 earlier run(s) named 'rf' in this store; 2 distinct configuration(s) (parameters, seed and command) counting this one", Item(result, "tried").Evidence);
        Assert.Equal(CheckStatus.Yes, Item(result, "seeds").Status);
    }

    [Theory]
    [InlineData("R4", ReproducibilityLevel.R4)]
    [InlineData("r2", ReproducibilityLevel.R2)]
    [InlineData("3", ReproducibilityLevel.R3)]
    public void Levels_parse_with_or_without_the_R(string text, ReproducibilityLevel level) =>
        Assert.Equal(level, ChecklistResult.ParseLevel(text));

    [Fact]
    public void An_unknown_level_is_a_usage_error() =>
        Assert.Equal(ExitCode.Usage, Assert.Throws<ReproException>(() => ChecklistResult.ParseLevel("R5")).Code);

    private static VerificationReport Verification(string run, string rerun, Verdict verdict) => new()
    {
        Id = RunId.New(),
        Verdict = verdict,
        Run = run,
        RunDigest = new string('e', 64),
        ReproductionRuns = [rerun],
        Mode = "scratch",
        VerifiedAt = DateTimeOffset.UtcNow,
        Tolerance = "rtol=1e-05, atol=1e-08",
        ToleranceSource = "defaults",
        Execution = new ExecutionJudgement(0, [0], Verdict.Identical, "ok"),
        Outputs = [],
        Metrics = [],
        Compared = ["stdout"],
        Causes = [],
        Summary = verdict.ToString(),
    };
}
