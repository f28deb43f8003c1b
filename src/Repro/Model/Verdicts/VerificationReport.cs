
namespace Repro.Model.Verdicts;

/// <summary>
/// Everything <c>repro verify</c> concluded and why: the verdict (worst of its parts), each
/// output and metric with its evidence, the ranked causes, and determinism here.
/// </summary>
public sealed record VerificationReport
{
    public int SchemaVersion { get; init; } = 1;

    /// <summary>The report's own id (a verification is stored and audited like a run).</summary>
    public string Id { get; init; } = string.Empty;

    public required Verdict Verdict { get; init; }

    /// <summary>The original run's id.</summary>
    public required string Run { get; init; }

    public required string RunDigest { get; init; }

    public required IReadOnlyList<string> ReproductionRuns { get; init; }

    /// <summary>"scratch" (recorded code and data restored in a scratch folder) or "in-place".</summary>
    public required string Mode { get; init; }

    /// <summary>Where the re-runs ran. Absent from reports written before executors, which re-ran locally.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public Repro.Model.ExecutorInfo? Executor { get; init; }

    public required DateTimeOffset VerifiedAt { get; init; }

    public required string Tolerance { get; init; }

    public required string ToleranceSource { get; init; }

    public required ExecutionJudgement Execution { get; init; }

    public required IReadOnlyList<OutputJudgement> Outputs { get; init; }

    public required IReadOnlyList<MetricJudgement> Metrics { get; init; }

    /// <summary>What the command printed (stdout, stderr), judged line by line. Empty in reports written before printed text was judged.</summary>
    public IReadOnlyList<PrintedJudgement> Printed { get; init; } = [];

    /// <summary>The masks of volatile printed text in force.</summary>
    public IReadOnlyList<MaskInForce> Masks { get; init; } = [];

    /// <summary>
    /// Everything that was actually compared: <c>output:PATH</c>, <c>metric:KEY</c>, <c>stdout</c>,
    /// <c>stderr</c>. Empty means nothing was compared (verdict UNVERIFIED); null in reports written before it was kept.
    /// </summary>
    public IReadOnlyList<string>? Compared { get; init; }

    public IReadOnlyList<InputCheck> Inputs { get; init; } = [];

    public required IReadOnlyList<Cause> Causes { get; init; }

    /// <summary>With two or more runs: whether they disagreed with each other here; null with one run.</summary>
    public bool? NondeterministicHere { get; init; }

    /// <summary>What differed between the runs made here.</summary>
    public IReadOnlyList<string> Nondeterminism { get; init; } = [];

    public IReadOnlyList<string> Notes { get; init; } = [];

    public required string Summary { get; init; }
}
