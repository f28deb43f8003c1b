using System.Globalization;
using Repro.Blobs.Data;
using Repro.Blobs.Hashing;
using Repro.Blobs.Storage;
using Repro.Execution;
using Repro.Judging.Comparison;
using Repro.Judging.Diffing;
using Repro.Model;
using Repro.Model.Serialization;
using Repro.Model.Verdicts;
using Repro.Model.Workspaces;
using Repro.Platform.Diagnostics;
using Repro.Recording;

namespace Repro.Judging.Verification;

/// <summary>
/// The verify job, as a short list of stages: plan (executor resolved once), fetch the run's
/// missing blobs through <see cref="IRunBlobSource"/>, replay K times (<see cref="RunReplayer"/>),
/// judge outputs (<see cref="OutputJudge"/>), metrics (<see cref="MetricJudge"/>) and printed
/// text (<see cref="PrintedJudge"/>), check the re-runs agree (<see cref="ReproductionAgreement"/>),
/// rank causes from the pillar diff (<see cref="CauseRanker"/>), and store the report.
/// </summary>
public sealed class Verifier
{
    private readonly Workspace _workspace;
    private readonly IRunStore _store;
    private readonly ContentCache _cache;
    private readonly Func<IStatCache> _statCache;
    private readonly TimeProvider _time;
    private readonly Func<ExecutorOptions, IExecutor> _executors;
    private readonly RunReplayer _replayer;
    private readonly OutputJudge _outputs;

    /// <param name="executors">Makes the executor a re-run runs on (a test's fake); by default <see cref="ExecutorFactory.Create"/>.</param>
    public Verifier(Workspace workspace, IRunStore store, ContentCache cache, Func<IStatCache> statCache, TimeProvider time, Func<ExecutorOptions, IExecutor>? executors = null)
    {
        _workspace = workspace;
        _store = store;
        _cache = cache;
        _statCache = statCache;
        _time = time;
        _executors = executors ?? ExecutorFactory.Create;
        _replayer = new RunReplayer(workspace, store, cache, statCache, time, _executors);
        _outputs = new OutputJudge(cache);
    }

    /// <summary>Where blobs of the run this cache lacks come from (the default remote); none fetches nothing.</summary>
    public IRunBlobSource? Blobs { get; init; }

    /// <summary>
    /// Re-runs, judges, and stores the report (with a new id, logged in the audit chain).
    /// <paramref name="status"/> hears each stage as a sentence (re-running, blobs fetched).
    /// </summary>
    public async Task<VerificationReport> VerifyAsync(StoredRun original, VerifyOptions options, IReadOnlyDictionary<string, string> environment, Stream stdout, Stream stderr, IProgress<string>? status, CancellationToken interrupt)
    {
        // Scratch checkouts are removed on the other core while the results are judged and saved.
        var cleanup = new List<Task>();
        try
        {
            var report = await JudgeAsync(original, options, environment, stdout, stderr, status, cleanup, interrupt) with { Id = RunId.New() };
            await _store.SaveVerificationAsync(report, CancellationToken.None);
            PhaseTimings.Mark("verify: report saved");
            return report;
        }
        finally
        {
            await Task.WhenAll(cleanup);
        }
    }

    private async Task<VerificationReport> JudgeAsync(StoredRun original, VerifyOptions options, IReadOnlyDictionary<string, string> environment, Stream stdout, Stream stderr, IProgress<string>? status, List<Task> cleanup, CancellationToken interrupt)
    {
        // The report's serializer metadata is built while the re-run runs (see CanonicalJson.Prepare).
        _ = CanonicalJson.PrepareInBackground(typeof(VerificationReport));
        var run = original.Manifest;
        var plan = VerifyPlan.For(run, options, _executors);
        var notes = new List<string>(options.ToleranceNotes);
        if (run.Outputs.Count == 0 && run.Metrics.Values.Count == 0)
        {
            notes.Add("the run declares no outputs and no metrics: only what it printed can be compared (record files with --out, metrics with --metrics)");
        }

        await FetchBlobsAsync(run, plan, status, notes, interrupt);
        var inputs = options.InPlace ? await CheckInputsAsync(run) : [];

        var reproductions = new List<RunManifest>();
        for (var k = 0; k < options.Runs; k++)
        {
            status?.Report(options.Runs == 1 ? $"re-running {plan.Label}" : string.Create(CultureInfo.InvariantCulture, $"re-running ({k + 1} of {options.Runs}) {plan.Label}"));
            try
            {
                reproductions.Add(await _replayer.ReplayAsync(run, plan.Replay, environment, stdout, stderr, notes, interrupt, cleanup));
            }
            catch (ReproException ex) when (ex.Code == ExitCode.CannotExecute)
            {
                // Could not even start (a blob missing from the cache, a commit gone): FAILED, with why.
                return Failed(original, options, inputs, notes, reproductions, ex.Message);
            }

            if (interrupt.IsCancellationRequested)
            {
                break;
            }
        }

        var first = reproductions[0];
        var execution = JudgeExecution(run, reproductions);
        var outputs = new List<OutputJudgement>();
        foreach (var output in run.Outputs)
        {
            outputs.Add(await _outputs.JudgeAsync(output, first.Outputs.FirstOrDefault(o => o.Path == output.Path), options, interrupt));
        }

        var metrics = MetricJudge.Judge(run.Metrics.Values, first.Metrics.Values, options);
        var masks = TextMasks.WithWorkspace(_workspace.Root, _workspace.TempPath, run.Code.Prefix, options.Masks);
        var printedJudge = new PrintedJudge(_cache, masks, options.Tolerance, options.OutputTolerances, options.MetricTolerances);
        var printed = new List<PrintedJudgement>();
        foreach (var stream in options.JudgedStreams)
        {
            printed.Add(await printedJudge.JudgeAsync(stream, run.Execution.Stream(stream), first.Execution.Stream(stream), interrupt));
        }

        var (nondeterministic, disagreements) = await ReproductionAgreement.CompareAsync(reproductions, printedJudge, options.JudgedStreams, interrupt);
        var compared = Compared(outputs, metrics, printed);
        var verdict = outputs.Select(o => o.Verdict).Concat(metrics.Select(m => m.Verdict)).Concat(printed.Select(p => p.Verdict)).Append(execution.Verdict).Max();
        if (compared.Count == 0 && verdict == Verdict.Identical)
        {
            // Only the exit code matched: that proves nothing about the results, so it is not a reproduction.
            verdict = Verdict.Unverified;
        }

        PhaseTimings.Mark("verify: outputs and metrics judged");
        var difference = await new RunDiffer(_cache).DiffAsync(run, first, CancellationToken.None);
        PhaseTimings.Mark("verify: pillars diffed");
        var causes = CauseRanker.Rank(run, difference, verdict, inputs, nondeterministic, disagreements, reproductions.Count);

        return new VerificationReport
        {
            Verdict = verdict,
            Run = run.Id,
            RunDigest = original.Digest,
            ReproductionRuns = reproductions.Select(r => r.Id).ToList(),
            Mode = options.InPlace ? "in-place" : "scratch",
            Executor = first.Environment.Executor,
            VerifiedAt = _time.GetUtcNow(),
            Tolerance = options.Tolerance.ToString(),
            ToleranceSource = options.ToleranceSource,
            Execution = execution,
            Outputs = outputs,
            Metrics = metrics,
            Printed = printed,
            Masks = masks.Select(m => new MaskInForce(m.Name, m.Pattern, m.Source)).ToList(),
            Compared = compared,
            Inputs = inputs,
            Causes = causes,
            NondeterministicHere = reproductions.Count >= 2 ? nondeterministic : null,
            Nondeterminism = disagreements,
            Notes = notes,
            Summary = VerificationSummary.Summarise(verdict, outputs, metrics, printed, execution, options, nondeterministic, reproductions.Count),
        };
    }

    /// <summary>Blobs of a run recorded elsewhere, fetched before the re-run; what could not be fetched is left for the replay to report (FAILED, naming the blob).</summary>
    private async Task FetchBlobsAsync(RunManifest run, VerifyPlan plan, IProgress<string>? status, List<string> notes, CancellationToken cancellationToken)
    {
        if (Blobs is null)
        {
            return;
        }

        var fetched = await Blobs.FetchMissingAsync(run, cancellationToken);
        PhaseTimings.Mark("verify: blobs checked");
        if (fetched.Transferred > 0)
        {
            var line = string.Create(CultureInfo.InvariantCulture, $"fetched {fetched.Transferred} blob{(fetched.Transferred == 1 ? string.Empty : "s")} ({ByteText.Of(fetched.Bytes)}) of run {plan.Label} from {fetched.From}");
            status?.Report(line);
            notes.Add(line);
        }

        notes.AddRange(fetched.Problems.Take(10).Select(p => $"not fetched from {fetched.From}: {p}"));
    }

    private VerificationReport Failed(StoredRun original, VerifyOptions options, List<InputCheck> inputs, List<string> notes, List<RunManifest> reproductions, string reason) => new()
    {
        Verdict = Verdict.Failed,
        Run = original.Manifest.Id,
        RunDigest = original.Digest,
        ReproductionRuns = reproductions.Select(r => r.Id).ToList(),
        Mode = options.InPlace ? "in-place" : "scratch",
        Executor = reproductions.FirstOrDefault()?.Environment.Executor ?? new ExecutorInfo { Name = options.Executor.Name },
        VerifiedAt = _time.GetUtcNow(),
        Tolerance = options.Tolerance.ToString(),
        ToleranceSource = options.ToleranceSource,
        Execution = new ExecutionJudgement(original.Manifest.Execution.ExitCode, reproductions.Select(r => r.Execution.ExitCode).ToList(), Verdict.Failed, reason),
        Outputs = [],
        Metrics = [],
        Compared = [],
        Inputs = inputs,
        Causes = [],
        Notes = notes,
        Summary = $"FAILED: could not be reproduced: {reason}",
    };

    private async Task<List<InputCheck>> CheckInputsAsync(RunManifest run)
    {
        var hasher = new ArtifactHasher(_cache, _statCache(), _time);
        var checks = new List<InputCheck>();
        foreach (var dep in run.Deps)
        {
            var full = Path.IsPathRooted(dep.Path) ? dep.Path : Path.Combine(_workspace.Root, dep.Path);
            var now = await hasher.HashAsync(full, dep.Path, store: false, null, CancellationToken.None);
            checks.Add(new InputCheck(dep.Path, dep.Sha256, now.Sha256, now.Sha256 == dep.Sha256 ? Verdict.Identical : Verdict.Diverged));
        }

        return checks;
    }

    private static ExecutionJudgement JudgeExecution(RunManifest run, List<RunManifest> reproductions)
    {
        var codes = reproductions.Select(r => r.Execution.ExitCode).ToList();
        var different = codes.Where(c => c != run.Execution.ExitCode).ToList();
        return different.Count == 0
            ? new ExecutionJudgement(run.Execution.ExitCode, codes, Verdict.Identical, string.Create(CultureInfo.InvariantCulture, $"exit code {run.Execution.ExitCode} as recorded"))
            : new ExecutionJudgement(run.Execution.ExitCode, codes, Verdict.Failed, string.Create(CultureInfo.InvariantCulture, $"the re-run exited with {string.Join(", ", codes)}, the original with {run.Execution.ExitCode}"));
    }

    /// <summary>The names of everything actually compared; an output missing in both runs and a stream neither run printed on compare nothing.</summary>
    private static List<string> Compared(List<OutputJudgement> outputs, List<MetricJudgement> metrics, List<PrintedJudgement> printed) =>
        outputs.Where(o => o.OriginalSha256 is not null || o.ReproducedSha256 is not null).Select(o => "output:" + o.Path)
            .Concat(metrics.Select(m => "metric:" + m.Key))
            .Concat(printed.Where(p => p.OriginalBytes > 0 || p.ReproducedBytes > 0).Select(p => p.Stream))
            .ToList();

    private static string Short(string? hash) => hash is null ? "(none)" : hash.Length > 12 ? hash[..12] : hash;
}
