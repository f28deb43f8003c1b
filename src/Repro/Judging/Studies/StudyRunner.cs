using System.Globalization;
using Repro.Blobs.Hashing;
using Repro.Blobs.Storage;
using Repro.Execution;
using Repro.Judging.Verification;
using Repro.Model;
using Repro.Model.Workspaces;
using Repro.Platform.Statistics;
using Repro.Recording;

namespace Repro.Judging.Studies;

/// <summary>
/// Runs one seed study: the same run once per seed, as children of one parent run of kind
/// "study", a few at a time; then the statistics of every metric over the children that
/// succeeded (a failed child is reported and left out, never silently), claims placed in the
/// seed distribution, and the study saved with its spread so verification can use it.
/// </summary>
public sealed class StudyRunner
{
    private readonly Workspace _workspace;
    private readonly IRunStore _store;
    private readonly ContentCache _cache;
    private readonly Func<IStatCache> _statCache;
    private readonly TimeProvider _time;

    public StudyRunner(Workspace workspace, IRunStore store, ContentCache cache, Func<IStatCache> statCache, TimeProvider time)
    {
        _workspace = workspace;
        _store = store;
        _cache = cache;
        _statCache = statCache;
        _time = time;
    }

    /// <summary>How the bootstrap is drawn, recorded in every study.</summary>
    public static string BootstrapDescription { get; } = string.Create(
        CultureInfo.InvariantCulture,
        $"{Descriptive.DefaultResamples} resamples of the mean, percentile interval, xoshiro256** seeded with {Descriptive.BootstrapSeed}");

    /// <summary>
    /// Runs the study. <paramref name="finished"/> hears of each child as it ends.
    /// Ctrl+C (<paramref name="interrupt"/>) stops starting new seeds; the seeds that ran are still recorded.
    /// </summary>
    public async Task<StudyOutcome> RunAsync(StudyRequest request, Stream stdout, Stream stderr, IProgress<StudyChild>? finished, CancellationToken interrupt)
    {
        _ = ParseClaims(request.Claims);
        Check(request);

        var studyId = RunId.New();
        var started = _time.GetUtcNow();
        var store = new SerializedRunStore(_store);
        var replayer = new RunReplayer(_workspace, store, _cache, _statCache, _time);
        var notes = new List<string>();
        var results = new RunManifest?[request.Seeds.Count];
        using var slots = new SemaphoreSlim(request.Parallelism, request.Parallelism);
        var tasks = new List<Task>();
        Exception? broken = null;
        for (var i = 0; i < request.Seeds.Count; i++)
        {
            await slots.WaitAsync(CancellationToken.None);
            if (interrupt.IsCancellationRequested || Volatile.Read(ref broken) is not null)
            {
                slots.Release();
                break;
            }

            var index = i;
            tasks.Add(Task.Run(
                async () =>
                {
                    try
                    {
                        var child = await RunChildAsync(request, studyId, request.Seeds[index], store, replayer, stdout, stderr, notes, interrupt);
                        results[index] = child;
                        finished?.Report(ChildOf(child));
                    }
                    catch (Exception ex)
                    {
                        // A seed that cannot even start (bad input, a blob missing) stops the study: the next would fail the same way.
                        Interlocked.CompareExchange(ref broken, ex, null);
                    }
                    finally
                    {
                        slots.Release();
                    }
                },
                CancellationToken.None));
        }

        await Task.WhenAll(tasks);
        if (broken is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(broken).Throw();
        }
        var children = results.Where(r => r is not null).Select(r => r!).ToList();
        if (children.Count == 0)
        {
            throw new ReproException(ExitCode.Cancelled, "cancelled before the first seed ran: nothing recorded");
        }

        return await SaveStudyAsync(request, studyId, started, children, [], null, notes, interrupt.IsCancellationRequested);
    }

    /// <summary>
    /// Summarises the children into the study (kind "study") and saves it under
    /// <paramref name="studyId"/>: the local path and the Slurm path share it, so a study reads
    /// the same wherever its seeds ran. <paramref name="unrecorded"/> are seeds whose every
    /// attempt ended without a run (a Slurm task killed or crashed): reported, never counted.
    /// </summary>
    internal async Task<StudyOutcome> SaveStudyAsync(
        StudyRequest request,
        string studyId,
        DateTimeOffset started,
        IReadOnlyList<RunManifest> children,
        IReadOnlyList<StudyChild> unrecorded,
        RunManifest? fallbackTemplate,
        IReadOnlyList<string> notes,
        bool cancelled)
    {
        var claims = ParseClaims(request.Claims);
        var warnings = new List<string>(notes);
        var study = Summarise(request, children.ToList(), unrecorded, claims, warnings);
        var template = children.FirstOrDefault(c => c.Status == RunStatus.Ok) ?? (children.Count > 0 ? children[0] : fallbackTemplate)
            ?? throw new ArgumentException("a study needs one child run or a template", nameof(fallbackTemplate));
        var empty = await _cache.AddBytesAsync(ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        var ended = _time.GetUtcNow();
        var okCount = children.Count(c => c.Status == RunStatus.Ok);
        if (children.Count + unrecorded.Count < request.Seeds.Count)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"interrupted: {children.Count} of {request.Seeds.Count} seeds ran"));
        }

        var manifest = new RunManifest
        {
            Id = studyId,
            Name = request.Name ?? request.Source?.Manifest.Name ?? request.Command?.Name,
            Kind = "study",
            Status = okCount > 0 ? RunStatus.Ok : RunStatus.Failed,
            CreatedAt = ended,
            Code = template.Code,
            Deps = template.Deps,
            Outputs = [],
            Params = template.Params,
            ParamsFiles = template.ParamsFiles,
            Seed = null,
            Determinism = template.Determinism with { Variables = template.Determinism.Variables.Where(v => v.Key is not ("REPRO_SEED" or "PYTHONHASHSEED")).ToDictionary() },
            Environment = template.Environment,
            Metrics = new MetricsRecord { Values = study.Statistics.ToDictionary(s => s.Key, s => s.Value.Mean) },
            Execution = new ExecutionRecord
            {
                Argv = template.Execution.Argv,
                Command = template.Execution.Argv,
                Executable = template.Execution.Executable,
                WorkingDir = template.Execution.WorkingDir,
                StartedAt = started,
                EndedAt = ended,
                WallSeconds = (ended - started).TotalSeconds,
                CpuSeconds = children.All(c => c.Execution.CpuSeconds is not null) ? children.Sum(c => c.Execution.CpuSeconds!.Value) : null,
                PeakRssBytes = children.Max(c => c.Execution.PeakRssBytes),
                ExitCode = children.All(c => c.Status == RunStatus.Ok) && unrecorded.Count == 0 ? 0 : 1,
                Cancelled = cancelled,
                Stdout = new CapturedOutput { Sha256 = empty.Sha256 },
                Stderr = new CapturedOutput { Sha256 = empty.Sha256 },
            },
            Tags = template.Tags.Where(t => t.Key is not ("study" or "verifies")).ToDictionary(),
            Warnings = warnings,
            Study = study,
        };

        var stored = await _store.SaveAsync(manifest, CancellationToken.None);
        return new StudyOutcome(manifest, stored.Digest);
    }

    private static void Check(StudyRequest request)
    {
        if ((request.Command is null) == (request.Source is null))
        {
            throw new ArgumentException("a study needs a command or a recorded run, not both");
        }

        if (request.Seeds.Count == 0)
        {
            throw ReproException.Usage("a study needs at least one seed");
        }

        if (request.Parallelism < 1)
        {
            throw ReproException.Usage("-j must be 1 or more");
        }

        if (request.Source is { } source && source.Manifest.Kind == "study")
        {
            throw ReproException.Usage($"run {source.Manifest.Id[..8]} is itself a study: give one of its seeds' runs, or the run it studied");
        }

        if (request.Command is { } command && request.Parallelism > 1)
        {
            CheckSideBySide(command, $"with -j {request.Parallelism.ToString(CultureInfo.InvariantCulture)} the seeds run side by side in this folder", "record the run first and use `repro seeds RUN -j J`");
        }
    }

    /// <summary>
    /// Side by side in one folder, children would overwrite each other's outputs: every --out
    /// and --metrics path must name its seed. <paramref name="why"/> says why they run side by
    /// side, <paramref name="instead"/> the way round it.
    /// </summary>
    internal static void CheckSideBySide(RunRequest command, string why, string instead)
    {
        var shared = command.Outs.Concat(command.MetricsFiles).Where(p => !p.Contains(DeterminismSettings.SeedPlaceholder, StringComparison.Ordinal)).ToList();
        if (shared.Count > 0)
        {
            throw ReproException.Usage(
                $"{why} and would overwrite {string.Join(", ", shared)}: " +
                $"put {{seed}} in every --out and --metrics path (e.g. --out model-{{seed}}.pkl), or {instead}, which gives each seed its own scratch checkout");
        }
    }

    private async Task<RunManifest> RunChildAsync(StudyRequest request, string studyId, long seed, IRunStore store, RunReplayer replayer, Stream stdout, Stream stderr, List<string> notes, CancellationToken interrupt)
    {
        if (request.Source is { } source)
        {
            var replay = new ReplayRequest { Kind = "run", ParentId = studyId, OverrideSeed = true, Seed = seed, ExtraTags = new Dictionary<string, string> { ["study"] = studyId }, Executor = request.Executor.ForReplayOf(source.Manifest) };
            return await replayer.ReplayAsync(source.Manifest, replay, request.Environment, stdout, stderr, notes, interrupt);
        }

        var command = request.Command!;
        var child = command with
        {
            Name = null,
            Kind = "run",
            ParentId = studyId,
            Seed = seed,
            Tags = command.Tags.Append($"study={studyId}").ToList(),
            Executor = ExecutorFactory.Create(request.Executor),
        };
        var recorder = new RunRecorder(_workspace, store, _cache, _statCache(), _time);
        var outcome = await recorder.RecordAsync(child, stdout, stderr, null, interrupt);
        return outcome.Manifest;
    }

    private static StudyChild ChildOf(RunManifest run) => new()
    {
        RunId = run.Id,
        Seed = run.Seed ?? 0,
        Status = run.Status,
        ExitCode = run.Execution.ExitCode,
        Metrics = run.Metrics.Values,
    };

    private static StudyRecord Summarise(StudyRequest request, List<RunManifest> children, IReadOnlyList<StudyChild> unrecorded, List<(string Key, double Value)> claims, List<string> warnings)
    {
        var ok = children.Where(c => c.Status == RunStatus.Ok).ToList();
        foreach (var failed in children.Where(c => c.Status != RunStatus.Ok))
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"seed {failed.Seed} (run {failed.Id[..8]}) failed with exit {failed.Execution.ExitCode}: left out of the statistics"));
        }

        if (ok.Count == 0)
        {
            warnings.Add("no seed succeeded: there are no statistics");
        }

        var statistics = new SortedDictionary<string, SampleSummary>(StringComparer.Ordinal);
        foreach (var key in ok.SelectMany(c => c.Metrics.Values.Keys).Distinct().Order(StringComparer.Ordinal))
        {
            var values = ok.Where(c => c.Metrics.Values.ContainsKey(key)).Select(c => c.Metrics.Values[key]).ToList();
            if (values.Count < ok.Count)
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture, $"metric {key} is missing from {ok.Count - values.Count} of {ok.Count} successful seeds: its statistics use {values.Count}"));
            }

            if (values.Any(double.IsNaN))
            {
                warnings.Add($"metric {key} is NaN in some seeds: those values are left out");
                values = values.Where(v => !double.IsNaN(v)).ToList();
            }

            if (values.Count == 0)
            {
                continue;
            }

            var summary = Descriptive.Summarise(values);
            statistics[key] = summary;
            if (values.Count >= 2 && summary.StdDev == 0)
            {
                warnings.Add($"metric {key} is the same for every seed: does the script use the seed (REPRO_SEED, {{seed}} or random_state)?");
            }
        }

        var placed = new List<StudyClaim>();
        foreach (var (key, value) in claims)
        {
            if (!statistics.TryGetValue(key, out var summary))
            {
                warnings.Add($"--claim {key}: the study has no metric {key} (it has: {(statistics.Count == 0 ? "none" : string.Join(", ", statistics.Keys))})");
                continue;
            }

            var higher = MetricDirection.HigherIsBetter(key, request.HigherIsBetter);
            var values = ok.Where(c => c.Metrics.Values.TryGetValue(key, out var v) && !double.IsNaN(v)).Select(c => c.Metrics.Values[key]).ToList();
            placed.Add(new StudyClaim { Key = key, HigherIsBetter = higher, Placement = ClaimCheck.Place(values, value, higher, summary) });
        }

        return new StudyRecord
        {
            SourceRun = request.Source?.Manifest.Id,
            Seeds = request.Seeds,
            Parallelism = request.Parallelism,
            Mode = request.Source is null ? "in-place" : "scratch",
            Children = children.Select(ChildOf).Concat(unrecorded).OrderBy(c => SeedOrder(request.Seeds, c.Seed)).ToList(),
            Statistics = statistics,
            Claims = placed,
            Bootstrap = BootstrapDescription,
        };
    }

    private static int SeedOrder(IReadOnlyList<long> seeds, long seed)
    {
        for (var i = 0; i < seeds.Count; i++)
        {
            if (seeds[i] == seed)
            {
                return i;
            }
        }

        return seeds.Count;
    }

    internal static List<(string Key, double Value)> ParseClaims(IReadOnlyList<string> claims)
    {
        var result = new List<(string, double)>();
        foreach (var (key, text) in KeyValueArguments.Parse(claims, "--claim"))
        {
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                throw ReproException.Usage($"--claim {key}={text}: the claimed value must be a number");
            }

            result.Add((key, value));
        }

        return result;
    }
}
