using System.Globalization;
using Repro.Blobs.Hashing;
using Repro.Blobs.Storage;
using Repro.Capture.Probe;
using Repro.Execution;
using Repro.Judging.Verification;
using Repro.Model;
using Repro.Model.Verdicts;
using Repro.Model.Workspaces;
using Repro.Recording;

namespace Repro.Tests.Recording;

/// <summary>The two main jobs as library services: a plan recorded and verified on a fake executor, no process started.</summary>
public sealed class RecordAndVerifyTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private Workspace _workspace = null!;
    private SqlRunStore _store = null!;
    private ContentCache _cache = null!;

    public async Task InitializeAsync()
    {
        _workspace = Workspace.Init(_dir.Path).Workspace;
        _store = await SqliteRunStore.OpenAsync(_workspace.DatabasePath, CancellationToken.None);
        _cache = new ContentCache(_workspace.CachePath);
        _dir.Write("data.csv", "a,b\n1,2\n");
        _dir.Write("train.py", "print('trained')\n");
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    private RunRecorder Recorder(params IRunObserver[] observers) =>
        new(_workspace, _store, _cache, NullStatCache.Instance, TimeProvider.System) { Observers = observers };

    private Verifier Verifier(IExecutor executor) =>
        new(_workspace, _store, _cache, () => NullStatCache.Instance, TimeProvider.System, _ => executor);

    private RunRequest Request(IExecutor executor, params string[] extraParams) => new()
    {
        Name = "fit",
        Command = ["/bin/sh", "train.py", "--seed", "{seed}"],
        WorkingDirectory = _dir.Path,
        Environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" },
        Deps = ["data.csv"],
        Outs = ["model-{seed}.txt"],
        MetricsFiles = ["metrics.json"],
        Params = ["lr=0.1", .. extraParams],
        Tags = ["team=risk"],
        Seed = 7,
        Executor = executor,
    };

    /// <summary>A "training" that writes its model and metrics; <paramref name="score"/> says what each run prints.</summary>
    private static FakeExecutor Training(Func<int, string> score) => new((spec, run) =>
    {
        var seed = spec.Process.Environment["REPRO_SEED"];
        File.WriteAllText(Path.Combine(spec.Process.WorkingDirectory, $"model-{seed}.txt"), "weights 1 2 3\n");
        File.WriteAllText(Path.Combine(spec.Process.WorkingDirectory, "metrics.json"), "{\"acc\": 0.9}");
        return (score(run), 0);
    });

    [Fact]
    public void A_plan_is_checked_once_and_typed()
    {
        var plan = RunPlan.From(Request(LocalExecutor.Instance, "note=a=b"));
        Assert.Equal(["/bin/sh", "train.py", "--seed", "7"], plan.Command);
        Assert.Equal("{seed}", plan.Argv[3]);
        Assert.Equal(Path.Combine(_dir.Path, "model-7.txt"), Assert.Single(plan.Outs).Full);
        Assert.Equal("a=b", plan.Params["note"]);
        Assert.Equal("risk", plan.Tags["team"]);

        Assert.Equal(ExitCode.Usage, Assert.Throws<ReproException>(() => RunPlan.From(Request(LocalExecutor.Instance) with { Command = [] })).Code);
        var missing = Assert.Throws<ReproException>(() => RunPlan.From(Request(LocalExecutor.Instance) with { Deps = ["gone.csv"] }));
        Assert.Contains("dependency not found: gone.csv", missing.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCode.Usage, Assert.Throws<ReproException>(() => RunPlan.From(Request(LocalExecutor.Instance) with { Params = ["novalue"] })).Code);
    }

    [Fact]
    public async Task Recording_captures_inputs_outputs_metrics_and_printed_text_and_seals_the_manifest()
    {
        var executor = Training(_ => "accuracy 0.9\n");
        var outcome = await Recorder().RecordAsync(Request(executor), Stream.Null, Stream.Null, null, CancellationToken.None);
        var run = outcome.Manifest;

        Assert.Equal("7", Assert.Single(executor.Specs).Process.Environment["REPRO_SEED"]);
        Assert.Equal(ArtifactKind.File, Assert.Single(run.Deps).Kind);
        Assert.Equal("model-7.txt", Assert.Single(run.Outputs).Path);
        Assert.Equal(0.9, run.Metrics.Values["acc"]);
        Assert.Equal("0.1", run.Params["lr"]);
        Assert.Equal("accuracy 0.9\n", File.ReadAllText(_cache.PathFor(run.Execution.Stdout.Sha256!)));
        Assert.Equal(RunStatus.Ok, run.Status);
        Assert.NotNull(await _store.GetAsync(run.Id, CancellationToken.None));
    }

    [Fact]
    public async Task An_observer_adjusts_the_plan_adds_to_the_manifest_and_hears_when_recording_fails()
    {
        var observer = new TaggingObserver();
        var executor = Training(_ => "ok\n");
        var outcome = await Recorder(observer).RecordAsync(Request(executor), Stream.Null, Stream.Null, null, CancellationToken.None);
        Assert.Equal("yes", executor.Specs[0].Process.Environment["OBSERVED"]);
        Assert.Equal("sealed", outcome.Manifest.Tags["observer"]);
        Assert.Empty(observer.Abandoned);

        var broken = new FakeExecutor((_, _) => ("", 0)) { FailPrepare = ReproException.CannotExecute("no such executor here") };
        await Assert.ThrowsAsync<ReproException>(() => Recorder(observer).RecordAsync(Request(broken), Stream.Null, Stream.Null, null, CancellationToken.None));
        Assert.Equal("no such executor here", Assert.Single(observer.Abandoned));
        Assert.Single(await _store.ListAsync(new RunQuery(), CancellationToken.None));
    }

    [Fact]
    public async Task A_re_run_loads_the_probe_only_when_the_original_had_it_and_at_its_step_interval()
    {
        var recorded = await Recorder().RecordAsync(Request(Training(_ => "ok\n")), Stream.Null, Stream.Null, null, CancellationToken.None);
        var run = recorded.Manifest;
        IExecutor Executors(ExecutorOptions _) => LocalExecutor.Instance;

        // Recorded without the probe (not Python, or --no-probe): the re-run must not seed what the original did not.
        Assert.Null(run.Probe);
        Assert.False(VerifyPlan.For(run, new VerifyOptions(), Executors).Replay.Probe.Enabled);

        var probed = run with { Probe = new ProbeRecord { Every = 7 } };
        var replay = VerifyPlan.For(probed, new VerifyOptions { Probe = ProbeSettings.Default with { Every = 3 } }, Executors).Replay.Probe;
        Assert.True(replay.Enabled);
        Assert.Equal(7, replay.Every);
        Assert.False(VerifyPlan.For(probed, new VerifyOptions { Probe = ProbeSettings.Off }, Executors).Replay.Probe.Enabled);
    }

    [Fact]
    public async Task Verify_on_a_fake_executor_is_IDENTICAL_when_everything_reproduces()
    {
        var executor = Training(_ => "accuracy 0.9\n");
        var recorded = await Recorder().RecordAsync(Request(executor), Stream.Null, Stream.Null, null, CancellationToken.None);
        var original = (await _store.GetAsync(recorded.Manifest.Id, CancellationToken.None))!;

        var report = await Verifier(executor).VerifyAsync(original, new VerifyOptions(), new Dictionary<string, string>(), Stream.Null, Stream.Null, null, CancellationToken.None);
        Assert.Equal(Verdict.Identical, report.Verdict);
        Assert.Equal(["output:model-7.txt", "metric:acc", "stdout"], report.Compared);
        Assert.Equal(2, executor.Specs.Count);

        // The re-run got the recorded plan back as typed values: seed, params and a "verifies" tag.
        var rerun = (await _store.GetAsync(report.ReproductionRuns[0], CancellationToken.None))!.Manifest;
        Assert.Equal(7, rerun.Seed);
        Assert.Equal("0.1", rerun.Params["lr"]);
        Assert.Equal(original.Manifest.Id, rerun.Tags["verifies"]);
        Assert.Equal("risk", rerun.Tags["team"]);
    }

    [Fact]
    public async Task Verify_on_a_fake_executor_that_prints_another_score_is_DIVERGED_with_both_lines()
    {
        var executor = Training(run => string.Create(CultureInfo.InvariantCulture, $"accuracy {0.9 - (run * 0.01):0.00}\n"));
        var recorded = await Recorder().RecordAsync(Request(executor), Stream.Null, Stream.Null, null, CancellationToken.None);
        var original = (await _store.GetAsync(recorded.Manifest.Id, CancellationToken.None))!;

        var report = await Verifier(executor).VerifyAsync(original, new VerifyOptions { Runs = 2 }, new Dictionary<string, string>(), Stream.Null, Stream.Null, null, CancellationToken.None);
        Assert.Equal(Verdict.Diverged, report.Verdict);
        var stdout = report.Printed.Single(p => p.Stream == "stdout");
        var line = Assert.Single(stdout.Lines);
        Assert.Equal("accuracy 0.89", line.Original);
        Assert.Equal("accuracy 0.88", line.Reproduced);
        Assert.True(report.NondeterministicHere);
        Assert.Contains(report.Nondeterminism, d => d.StartsWith("stdout: run 1 and run 2 printed different text", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_of_a_run_that_declares_and_prints_nothing_is_UNVERIFIED()
    {
        var executor = new FakeExecutor((_, _) => (string.Empty, 0));
        var request = Request(executor) with { Outs = [], MetricsFiles = [] };
        var recorded = await Recorder().RecordAsync(request, Stream.Null, Stream.Null, null, CancellationToken.None);
        var original = (await _store.GetAsync(recorded.Manifest.Id, CancellationToken.None))!;

        var report = await Verifier(executor).VerifyAsync(original, new VerifyOptions(), new Dictionary<string, string>(), Stream.Null, Stream.Null, null, CancellationToken.None);
        Assert.Equal(Verdict.Unverified, report.Verdict);
        Assert.Empty(report.Compared!);
        Assert.DoesNotContain("bit for bit", report.Summary, StringComparison.Ordinal);
        Assert.Empty(report.Causes);
    }

    private sealed class TaggingObserver : IRunObserver
    {
        public List<string> Abandoned { get; } = [];

        public Task<RunPlan> PlanningAsync(RunPlan plan, CancellationToken cancellationToken) =>
            Task.FromResult(plan with { Environment = new Dictionary<string, string>(plan.Environment) { ["OBSERVED"] = "yes" } });

        public Task<RunManifest> SealingAsync(RunManifest manifest, CancellationToken cancellationToken) =>
            Task.FromResult(manifest with { Tags = new Dictionary<string, string>(manifest.Tags) { ["observer"] = "sealed" } });

        public Task AbandonedAsync(RunPlan plan, bool cancelled, string reason)
        {
            Abandoned.Add(reason);
            return Task.CompletedTask;
        }
    }
}
