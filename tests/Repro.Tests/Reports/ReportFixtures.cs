using Repro.Checks.Checklist;
using Repro.Evidence.Reports;
using Repro.Judging.Comparison;
using Repro.Model;
using Repro.Model.Verdicts;
using Repro.Platform.Statistics;

namespace Repro.Tests.Reports;

/// <summary>Fixed records (ids, times, hashes) for report snapshots: the same data every time.</summary>
internal static class ReportFixtures
{
    public static readonly DateTimeOffset At = new(2026, 3, 14, 9, 26, 53, TimeSpan.Zero);

    private static string Hex(char c, int n = 64) => new(c, n);

    public static RunManifest Run(string id = "0123456789abcdef0123456789abcdef") => new()
    {
        Id = id,
        Name = "baseline",
        Status = RunStatus.Ok,
        CreatedAt = At,
        Code = new CodeSnapshot { Kind = "git", Commit = Hex('c', 40), Branch = "main", Remote = "https://example.test/team/loans.git", Dirty = true, Changes = [new FileChange("train.py", "M")], Diff = new BlobRef(Hex('d'), 1234) },
        Deps = [new ArtifactRecord { Path = "data/train.csv", Kind = ArtifactKind.File, Sha256 = Hex('a'), Size = 123456, Cached = true }],
        Outputs = [new ArtifactRecord { Path = "model.pkl", Kind = ArtifactKind.File, Sha256 = Hex('b'), Size = 2048, Cached = true }],
        Params = new Dictionary<string, string> { ["n_estimators"] = "100", ["lr"] = "0.1", ["max_depth"] = "3" },
        ParamsFiles = [],
        Seed = 42,
        Determinism = new DeterminismProfile { Enabled = true, Variables = new Dictionary<string, string> { ["REPRO_SEED"] = "42", ["PYTHONHASHSEED"] = "42", ["OMP_NUM_THREADS"] = "1" } },
        Environment = new EnvironmentSnapshot
        {
            Hostname = "build-host",
            Os = new OsInfo("Debian GNU/Linux 12 (bookworm)", "12", "debian"),
            Kernel = "6.1.0",
            Architecture = "x64",
            Cpu = new CpuInfo { Model = "Example CPU", LogicalCores = 8, AvailableCores = 8, Flags = ["avx2", "fma", "sse4_2"] },
            MemoryBytes = 17179869184,
            Gpu = new GpuInfo { Present = false, Note = "nvidia-smi not found" },
            Locale = "C.UTF-8",
            TimeZone = "Etc/UTC",
            Python = new PythonInfo { Executable = "/usr/bin/python3", Version = "3.11.2", Implementation = "CPython", Packages = new Dictionary<string, string> { ["scikit-learn"] = "1.2.1", ["numpy"] = "1.24.2" } },
            Variables = new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "1", ["LANG"] = "C.UTF-8" },
        },
        Metrics = new MetricsRecord
        {
            Values = new Dictionary<string, double> { ["acc"] = 0.925, ["loss"] = 0.21 },
            Steps = new Dictionary<string, IReadOnlyList<MetricStep>> { ["loss"] = [new(0, 0.9), new(1, 0.5), new(2, 0.31), new(3, 0.25), new(4, 0.21)] },
        },
        Execution = new ExecutionRecord
        {
            Argv = ["python3", "train.py", "--seed", "{seed}"],
            Command = ["python3", "train.py", "--seed", "42"],
            WorkingDir = ".",
            StartedAt = At,
            EndedAt = At.AddSeconds(12.5),
            WallSeconds = 12.5,
            Stdout = new CapturedOutput(),
            Stderr = new CapturedOutput(),
        },
        Tags = new Dictionary<string, string>(),
        Warnings = [],
    };

    public static ChecklistResult Checklist() => new()
    {
        Run = "0123456789abcdef0123456789abcdef",
        RunDigest = Hex('e'),
        Items =
        [
            new ChecklistItem { Id = "code", Title = "Code under version control, clean or diff recorded", Status = CheckStatus.Yes, Evidence = "git commit cccccccccccc on main plus a recorded patch" },
            new ChecklistItem { Id = "lint", Title = "Lint clean or findings acknowledged", Status = CheckStatus.No, Evidence = "`repro lint` not run", Fix = "run repro lint first" },
            new ChecklistItem { Id = "seeds", Title = "Results over ≥ 5 seeds with error bars", Status = CheckStatus.Partial, Evidence = "study: 3 seeds" },
        ],
        Level = ReproducibilityLevel.R3,
        LevelName = "R3 Data",
        ToRaise = ["R4 Experiment: environment captured — record with --python"],
    };

    public static ReportData RunReport() => new()
    {
        Kind = "run",
        Subject = "0123456789abcdef0123456789abcdef",
        Title = "Run baseline (01234567)",
        Run = Run(),
        Verifications = [Verification()],
        Covered = [new CoveredRecord("run", "0123456789abcdef0123456789abcdef", Hex('e')), new CoveredRecord("verdict", "fedcba9876543210fedcba9876543210", Hex('f'))],
        Checklist = Checklist(),
        Generator = "repro 0.1.0",
        CreatedAt = At.AddDays(1),
    };

    public static VerificationReport Verification() => new()
    {
        Id = "fedcba9876543210fedcba9876543210",
        Verdict = Verdict.Diverged,
        Run = "0123456789abcdef0123456789abcdef",
        RunDigest = Hex('e'),
        ReproductionRuns = ["11112222333344445555666677778888"],
        Mode = "scratch",
        VerifiedAt = At.AddHours(2),
        Tolerance = "rtol=1e-05, atol=1e-08",
        ToleranceSource = "defaults",
        Execution = new ExecutionJudgement(0, [0], Verdict.Identical, "exit code 0 as recorded"),
        Outputs = [new OutputJudgement { Path = "model.pkl", Verdict = Verdict.Diverged, Comparer = "bytes", Detail = "bytes differ", OriginalSha256 = Hex('b'), ReproducedSha256 = Hex('9') }],
        Metrics =
        [
            new MetricJudgement { Key = "acc", Original = 0.925, Reproduced = 0.9125, Delta = -0.0125, Tolerance = "rtol=1e-05, atol=1e-08", Rtol = 1e-5, Atol = 1e-8, Verdict = Verdict.Diverged },
            new MetricJudgement { Key = "loss", Original = 0.21, Reproduced = 0.21, Delta = 0, Tolerance = "rtol=1e-05, atol=1e-08", Rtol = 1e-5, Atol = 1e-8, Verdict = Verdict.Identical },
        ],
        Printed =
        [
            new PrintedJudgement
            {
                Stream = "stdout", Verdict = Verdict.Diverged, Comparer = "printed", Detail = "first difference at line 2: \"accuracy 0.925\" → \"accuracy 0.9125\"; 1 line differs; 1 line differs only in masked text (duration ×1)",
                OriginalSha256 = Hex('c'), ReproducedSha256 = Hex('d'), OriginalBytes = 40, ReproducedBytes = 41, OriginalLines = 2, ReproducedLines = 2,
                Tolerance = "rtol=1e-05, atol=1e-08", Rtol = 1e-5, Atol = 1e-8, Masked = new Dictionary<string, long> { ["duration"] = 1 },
                Lines = [new PrintedLine { Line = 2, Original = "accuracy 0.925", Reproduced = "accuracy 0.9125", Judged = "diverged" }],
            },
            new PrintedJudgement { Stream = "stderr", Verdict = Verdict.Identical, Comparer = "sha256", Detail = "nothing printed by either run" },
        ],
        Masks = [new MaskInForce("duration", "\\d+(?:\\.\\d+)? ?s", "built-in"), new MaskInForce("run-id", "id=[0-9a-f]+", ".repro/config.yaml")],
        Compared = ["output:model.pkl", "metric:acc", "metric:loss", "stdout"],
        Causes = [new Cause(CausePillar.Packages, "package versions differ: numpy 1.24.2 → 1.26.4"), new Cause(CausePillar.Threads, "OMP_NUM_THREADS 1 → 4")],
        Summary = "DIVERGED: acc moved by -0.0125 (outside rtol=1e-05, atol=1e-08)",
    };

    public static ReportData VerificationReport() => new()
    {
        Kind = "verification",
        Subject = "fedcba9876543210fedcba9876543210",
        Title = "Verification fedcba98 of run baseline (01234567)",
        Run = Run(),
        Verification = Verification(),
        Covered = [new CoveredRecord("verdict", "fedcba9876543210fedcba9876543210", Hex('f')), new CoveredRecord("run", "0123456789abcdef0123456789abcdef", Hex('e'))],
        Checklist = Checklist(),
        Generator = "repro 0.1.0",
        CreatedAt = At.AddDays(1),
    };

    public static ReportData StudyReport()
    {
        double[] acc = [0.91, 0.925, 0.93, 0.918, 0.922];
        var children = acc.Select((value, i) => new StudyChild { RunId = $"{i + 1:x}000000000000000000000000000000{i + 1:x}", Seed = i + 1, Status = RunStatus.Ok, ExitCode = 0, Metrics = new Dictionary<string, double> { ["acc"] = value } }).ToList();
        var study = Run("99999999999999999999999999999999") with
        {
            Kind = "study",
            Seed = null,
            Metrics = new MetricsRecord(),
            Study = new StudyRecord
            {
                SourceRun = "0123456789abcdef0123456789abcdef",
                Seeds = [1, 2, 3, 4, 5],
                Mode = "scratch",
                Children = children,
                Statistics = new Dictionary<string, SampleSummary> { ["acc"] = Descriptive.Summarise(acc) },
                Bootstrap = "10000 resamples of the mean, xoshiro256** seeded 20250101",
            },
        };
        return new ReportData
        {
            Kind = "study",
            Subject = study.Id,
            Title = "Seed study baseline (99999999)",
            Run = study,
            Covered = [new CoveredRecord("study", study.Id, Hex('7')), .. children.Select(c => new CoveredRecord("run", c.RunId, Hex('6')))],
            Checklist = Checklist(),
            Generator = "repro 0.1.0",
            CreatedAt = At.AddDays(1),
        };
    }
}
