using System.Globalization;
using Repro.Capture;
using Repro.Comparison;
using Repro.Diagnostics;
using Repro.Diffing;
using Repro.Domain;
using Repro.Hashing;
using Repro.Runs;
using Repro.Serialization;
using Repro.Storage;
using Repro.Workspaces;

namespace Repro.Verification;

/// <summary>
/// Re-runs a recorded run with the same inputs, seed, parameters, determinism profile and
/// result-affecting variables, judges every output and metric against the original, checks
/// whether several runs here agree, and explains any difference from the pillar diff.
/// </summary>
public sealed class Verifier
{
    private readonly Workspace _workspace;
    private readonly IRunStore _store;
    private readonly ContentCache _cache;
    private readonly Func<IStatCache> _statCache;
    private readonly TimeProvider _time;
    private readonly RunReplayer _replayer;

    public Verifier(Workspace workspace, IRunStore store, ContentCache cache, Func<IStatCache> statCache, TimeProvider time)
    {
        _workspace = workspace;
        _store = store;
        _cache = cache;
        _statCache = statCache;
        _time = time;
        _replayer = new RunReplayer(workspace, store, cache, statCache, time);
    }

    /// <summary>Re-runs, judges, and stores the report (with a new id, logged in the audit chain).</summary>
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
        if (options.Runs < 1)
        {
            throw ReproException.Usage("--runs must be 1 or more");
        }

        // The report's serializer metadata is built while the re-run runs (see CanonicalJson.Prepare).
        _ = CanonicalJson.PrepareInBackground(typeof(VerificationReport));
        var run = original.Manifest;
        if (run.Kind == "study")
        {
            throw ReproException.Usage($"run {run.Id[..8]} is a seed study, not one run: verify one of its seeds (`repro study {run.Id[..8]}` lists them) or the run it studied");
        }

        var notes = new List<string>(options.ToleranceNotes);
        var inputs = new List<InputCheck>();
        if (run.Outputs.Count == 0 && run.Metrics.Values.Count == 0)
        {
            notes.Add("the run declares no outputs and no metrics: only what it printed can be compared (record files with --out, metrics with --metrics)");
        }

        if (options.InPlace)
        {
            inputs.AddRange(await CheckInputsAsync(run));
        }

        var reproductions = new List<RunManifest>();
        for (var k = 0; k < options.Runs; k++)
        {
            status?.Report(options.Runs == 1 ? "re-running" : string.Create(CultureInfo.InvariantCulture, $"re-running ({k + 1} of {options.Runs})"));
            try
            {
                reproductions.Add(await _replayer.ReplayAsync(run, new ReplayRequest { InPlace = options.InPlace, Kind = "verification", ParentId = run.Id, ExtraTags = [$"verifies={run.Id}"], Executor = options.Executor }, environment, stdout, stderr, notes, interrupt, cleanup));
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
            outputs.Add(await JudgeOutputAsync(output, first.Outputs.FirstOrDefault(o => o.Path == output.Path), options, interrupt));
        }

        var metrics = JudgeMetrics(run.Metrics.Values, first.Metrics.Values, options);
        var masks = MasksFor(run, options);
        var printed = new List<PrintedJudgement>();
        foreach (var stream in JudgedStreams(options))
        {
            printed.Add(await new PrintedJudge(_cache, masks, options.Tolerance, options.OutputTolerances, options.MetricTolerances).JudgeAsync(stream, Stream(run, stream), Stream(first, stream), interrupt));
        }

        var (nondeterministic, disagreements) = await CompareReproductionsAsync(reproductions, masks, options, interrupt);

        var compared = Compared(outputs, metrics, printed);
        var parts = outputs.Select(o => o.Verdict).Concat(metrics.Select(m => m.Verdict)).Concat(printed.Select(p => p.Verdict)).Append(execution.Verdict).ToList();
        var verdict = parts.Max();
        if (compared.Count == 0 && verdict == Verdict.Identical)
        {
            // Only the exit code matched: that proves nothing about the results, so it is not a reproduction.
            verdict = Verdict.Unverified;
        }
        PhaseTimings.Mark("verify: outputs and metrics judged");
        var difference = await new RunDiffer(_cache).DiffAsync(run, first, CancellationToken.None);
        PhaseTimings.Mark("verify: pillars diffed");
        var causes = RankCauses(run, difference, verdict, inputs, nondeterministic, disagreements, reproductions.Count);

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
            Summary = Summarise(verdict, outputs, metrics, printed, execution, options, nondeterministic, reproductions.Count),
        };
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

    private async Task<OutputJudgement> JudgeOutputAsync(ArtifactRecord original, ArtifactRecord? reproduced, VerifyOptions options, CancellationToken cancellationToken)
    {
        var tolerance = options.OutputTolerances.GetValueOrDefault(original.Path) ?? options.Tolerance;
        var compare = new ComparisonOptions { Tolerance = tolerance, MinAgreement = options.MinAgreement };
        if (reproduced is null || reproduced.Kind == ArtifactKind.Missing)
        {
            return Judged(original, reproduced, new ComparisonResult { Verdict = original.Kind == ArtifactKind.Missing ? Verdict.Identical : Verdict.Diverged, Comparer = "presence", Detail = original.Kind == ArtifactKind.Missing ? "missing in both runs" : "not produced by the re-run" }, null);
        }

        if (original.Kind == ArtifactKind.Missing)
        {
            return Judged(original, reproduced, new ComparisonResult { Verdict = Verdict.Diverged, Comparer = "presence", Detail = "produced by the re-run but missing in the original" }, null);
        }

        if (original.Sha256 == reproduced.Sha256)
        {
            return Judged(original, reproduced, new ComparisonResult { Verdict = Verdict.Identical, Comparer = "sha256", Detail = $"same bytes (sha256 {original.Sha256})" }, null);
        }

        if (!_cache.Contains(original.Sha256!))
        {
            return Judged(original, reproduced, new ComparisonResult { Verdict = Verdict.Diverged, Comparer = "sha256", Detail = $"hashes differ ({original.Sha256![..12]} → {reproduced.Sha256![..12]}) and the original bytes are not in the cache to compare with tolerance" }, null);
        }

        if (original.Kind == ArtifactKind.Dir && reproduced.Kind == ArtifactKind.Dir)
        {
            return Judged(original, reproduced, await CompareFoldersAsync(original, reproduced, compare, cancellationToken), tolerance);
        }

        if (original.Kind != reproduced.Kind)
        {
            return Judged(original, reproduced, new ComparisonResult { Verdict = Verdict.Diverged, Comparer = "kind", Detail = $"was a {original.Kind.ToString().ToLowerInvariant()}, is now a {reproduced.Kind.ToString().ToLowerInvariant()}" }, null);
        }

        var result = await FileComparers.CompareAsync(original.Path, _cache.PathFor(original.Sha256!), _cache.PathFor(reproduced.Sha256!), compare, cancellationToken);
        return Judged(original, reproduced, result, tolerance);
    }

    private async Task<ComparisonResult> CompareFoldersAsync(ArtifactRecord original, ArtifactRecord reproduced, ComparisonOptions options, CancellationToken cancellationToken)
    {
        var before = (await DirectoryListing.ReadAsync(_cache, original.Sha256!, cancellationToken)).ToDictionary(e => e.Path, StringComparer.Ordinal);
        var after = (await DirectoryListing.ReadAsync(_cache, reproduced.Sha256!, cancellationToken)).ToDictionary(e => e.Path, StringComparer.Ordinal);
        var details = new List<string>();
        var verdict = Verdict.Identical;
        double? maxAbs = null;
        double? maxRel = null;
        foreach (var path in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            if (!after.TryGetValue(path, out var b))
            {
                verdict = Verdict.Diverged;
                details.Add($"{path}: not produced");
                continue;
            }

            if (!before.TryGetValue(path, out var a))
            {
                verdict = Verdict.Diverged;
                details.Add($"{path}: new file");
                continue;
            }

            if (a.Sha256 == b.Sha256)
            {
                continue;
            }

            var result = !_cache.Contains(a.Sha256) || !_cache.Contains(b.Sha256)
                ? new ComparisonResult { Verdict = Verdict.Diverged, Comparer = "sha256", Detail = "hashes differ" }
                : await FileComparers.CompareAsync($"{original.Path}/{path}", _cache.PathFor(a.Sha256), _cache.PathFor(b.Sha256), options, cancellationToken);
            verdict = (Verdict)Math.Max((int)verdict, (int)result.Verdict);
            maxAbs = Max(maxAbs, result.MaxAbsError);
            maxRel = Max(maxRel, result.MaxRelError);
            details.Add($"{path}: {result.Verdict.ToString().ToUpperInvariant()} ({result.Comparer}) {result.Detail}");
        }

        var shown = details.Take(options.MaxExamples).ToList();
        if (details.Count > shown.Count)
        {
            shown.Add($"and {details.Count - shown.Count} more");
        }

        return new ComparisonResult
        {
            Verdict = verdict,
            Comparer = "dir",
            Detail = details.Count == 0 ? "same files, same bytes" : string.Join("; ", shown),
            MaxAbsError = maxAbs,
            MaxRelError = maxRel,
        };
    }

    private static double? Max(double? a, double? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private static OutputJudgement Judged(ArtifactRecord original, ArtifactRecord? reproduced, ComparisonResult result, Tolerance? tolerance) => new()
    {
        Path = original.Path,
        Verdict = result.Verdict,
        Comparer = result.Comparer,
        Detail = result.Detail,
        OriginalSha256 = original.Sha256,
        ReproducedSha256 = reproduced?.Sha256,
        Tolerance = result.Verdict is Verdict.Equivalent or Verdict.Diverged && tolerance is not null ? tolerance.ToString() : null,
        Rtol = result.Verdict is Verdict.Equivalent or Verdict.Diverged ? tolerance?.Rtol : null,
        Atol = result.Verdict is Verdict.Equivalent or Verdict.Diverged ? tolerance?.Atol : null,
        MaxAbsError = result.MaxAbsError,
        MaxRelError = result.MaxRelError,
        MaxUlp = result.MaxUlp,
        OutOfTolerance = result.OutOfTolerance,
        AgreementRate = result.AgreementRate,
    };

    internal static List<MetricJudgement> JudgeMetrics(IReadOnlyDictionary<string, double> original, IReadOnlyDictionary<string, double> reproduced, VerifyOptions options)
    {
        var result = new List<MetricJudgement>();
        foreach (var (key, value) in original.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var tolerance = options.MetricTolerances.GetValueOrDefault(key) ?? options.Tolerance;
            if (!reproduced.TryGetValue(key, out var again))
            {
                result.Add(new MetricJudgement { Key = key, Original = value, Reproduced = null, Tolerance = tolerance.ToString(), Rtol = tolerance.Rtol, Atol = tolerance.Atol, Verdict = Verdict.Diverged });
                continue;
            }

            var verdict = value.Equals(again) ? Verdict.Identical : tolerance.Within(value, again) ? Verdict.Equivalent : Verdict.Diverged;
            result.Add(new MetricJudgement { Key = key, Original = value, Reproduced = again, Delta = again - value, Tolerance = tolerance.ToString(), Rtol = tolerance.Rtol, Atol = tolerance.Atol, Verdict = verdict });
        }

        return result;
    }

    private async Task<(bool Nondeterministic, List<string> Disagreements)> CompareReproductionsAsync(List<RunManifest> runs, IReadOnlyList<TextMask> masks, VerifyOptions options, CancellationToken cancellationToken)
    {
        var disagreements = new List<string>();
        var first = runs[0];
        for (var i = 1; i < runs.Count; i++)
        {
            var other = runs[i];
            foreach (var output in first.Outputs)
            {
                var again = other.Outputs.FirstOrDefault(o => o.Path == output.Path);
                if (again?.Sha256 != output.Sha256)
                {
                    disagreements.Add(string.Create(CultureInfo.InvariantCulture, $"output {output.Path}: run 1 sha256 {Short(output.Sha256)}, run {i + 1} sha256 {Short(again?.Sha256)}"));
                }
            }

            foreach (var (key, value) in first.Metrics.Values)
            {
                if (!other.Metrics.Values.TryGetValue(key, out var again) || !again.Equals(value))
                {
                    disagreements.Add(string.Create(CultureInfo.InvariantCulture, $"metric {key}: run 1 {value:R}, run {i + 1} {(other.Metrics.Values.ContainsKey(key) ? again.ToString("R", CultureInfo.InvariantCulture) : "missing")}"));
                }
            }

            foreach (var stream in JudgedStreams(options))
            {
                var judged = await new PrintedJudge(_cache, masks, options.Tolerance, options.OutputTolerances, options.MetricTolerances).JudgeAsync(stream, Stream(first, stream), Stream(other, stream), cancellationToken);
                if (judged.Verdict == Verdict.Diverged)
                {
                    disagreements.Add(string.Create(CultureInfo.InvariantCulture, $"{stream}: run 1 and run {i + 1} printed different text ({judged.Detail})"));
                }
            }

            if (other.Execution.ExitCode != first.Execution.ExitCode)
            {
                disagreements.Add(string.Create(CultureInfo.InvariantCulture, $"exit code: run 1 {first.Execution.ExitCode}, run {i + 1} {other.Execution.ExitCode}"));
            }
        }

        return (disagreements.Count > 0, disagreements);
    }

    private static List<Cause> RankCauses(RunManifest run, RunDifference difference, Verdict verdict, List<InputCheck> inputs, bool nondeterministic, List<string> disagreements, int runs)
    {
        var causes = new List<Cause>();
        foreach (var input in inputs.Where(i => i.Verdict != Verdict.Identical))
        {
            causes.Add(new Cause(CausePillar.Data, $"input {input.Path} changed since the run was recorded: sha256 {Short(input.Recorded)} → {Short(input.Current)}"));
        }

        if (verdict is not (Verdict.Identical or Verdict.Unverified) || nondeterministic)
        {
            causes.AddRange(difference.Causes.Where(c => c.Pillar != CausePillar.Data || inputs.Count == 0));
        }

        if (nondeterministic)
        {
            var hints = new List<string>();
            if (run.Seed is null)
            {
                hints.Add("no seed was set (record with --seed N and use REPRO_SEED or {seed} in the script)");
            }

            if (!run.Determinism.Enabled)
            {
                hints.Add("--deterministic was not used (thread counts, cuBLAS/cuDNN settings)");
            }

            hints.Add("a random generator not seeded from the seed (numpy, random, torch, an estimator without random_state), threaded or GPU reductions, or iteration over a set/dict of strings");
            var prefix = difference.PillarsSame
                ? string.Create(CultureInfo.InvariantCulture, $"nothing in the pillars differs, yet {runs} runs here disagree: the run is not deterministic here")
                : string.Create(CultureInfo.InvariantCulture, $"{runs} runs here disagree with each other");
            causes.Add(new Cause(CausePillar.Nondeterminism, $"{prefix} ({string.Join("; ", disagreements.Take(3))}); likely: {string.Join("; ", hints)}"));
        }

        return causes.OrderBy(c => c.Pillar).ToList();
    }

    private static string Summarise(Verdict verdict, List<OutputJudgement> outputs, List<MetricJudgement> metrics, List<PrintedJudgement> printed, ExecutionJudgement execution, VerifyOptions options, bool nondeterministic, int runs)
    {
        var determinism = runs >= 2 ? (nondeterministic ? $"; {runs} runs here disagree" : $"; {runs} runs here agree") : string.Empty;
        if (verdict == Verdict.Unverified)
        {
            var skipped = new[] { options.JudgeStdout ? null : "stdout", options.JudgeStderr ? null : "stderr" }.OfType<string>().ToList();
            var printedText = skipped.Count == 0 ? "printed nothing" : skipped.Count == 2 ? "what it printed was not judged" : $"printed nothing on {(options.JudgeStdout ? "stdout" : "stderr")} ({skipped[0]} not judged)";
            return $"UNVERIFIED: nothing was compared: the run declares no outputs or metrics and {printedText}; only its exit code ({execution.OriginalExitCode.ToString(CultureInfo.InvariantCulture)}) matched, which says nothing about its results (record files with --out, metrics with --metrics, or print the result){determinism}";
        }

        var counts = outputs.Select(o => o.Verdict).Concat(metrics.Select(m => m.Verdict)).Concat(printed.Where(p => p.OriginalBytes > 0 || p.ReproducedBytes > 0).Select(p => p.Verdict))
            .GroupBy(v => v).OrderBy(g => g.Key).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count()} {g.Key.ToString().ToUpperInvariant()}"));
        var text = verdict switch
        {
            Verdict.Identical => "reproduced bit for bit",
            Verdict.Equivalent => "reproduced within tolerance",
            Verdict.Diverged => "did not reproduce",
            _ => $"could not be reproduced: {execution.Detail}",
        };
        var parts = string.Join(", ", counts);
        return $"{verdict.ToString().ToUpperInvariant()}: {text}{(parts.Length > 0 ? $" ({parts})" : string.Empty)}{determinism}";
    }

    /// <summary>The names of everything actually compared; an output missing in both runs and a stream neither run printed on compare nothing.</summary>
    private static List<string> Compared(List<OutputJudgement> outputs, List<MetricJudgement> metrics, List<PrintedJudgement> printed) =>
        outputs.Where(o => o.OriginalSha256 is not null || o.ReproducedSha256 is not null).Select(o => "output:" + o.Path)
            .Concat(metrics.Select(m => "metric:" + m.Key))
            .Concat(printed.Where(p => p.OriginalBytes > 0 || p.ReproducedBytes > 0).Select(p => p.Stream))
            .ToList();

    private static IEnumerable<string> JudgedStreams(VerifyOptions options)
    {
        if (options.JudgeStdout)
        {
            yield return "stdout";
        }

        if (options.JudgeStderr)
        {
            yield return "stderr";
        }
    }

    private static CapturedOutput Stream(RunManifest run, string stream) => stream == "stdout" ? run.Execution.Stdout : run.Execution.Stderr;

    /// <summary>
    /// The masks for this run: its workspace and any scratch checkout of it (the re-run's folder
    /// differs from the original's by design), then the built-in and the user's masks.
    /// </summary>
    private IReadOnlyList<TextMask> MasksFor(RunManifest run, VerifyOptions options) =>
        TextMasks.WithWorkspace(_workspace.Root, _workspace.TempPath, run.Code.Prefix, options.Masks);

    private static string Short(string? hash) => hash is null ? "(none)" : hash.Length > 12 ? hash[..12] : hash;
}
