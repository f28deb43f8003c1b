using Repro.Execution;
using Repro.Judging.Comparison;

namespace Repro.Judging.Verification;

/// <summary>What <c>repro verify</c> was asked for, frozen before anything runs.</summary>
public sealed record VerifyOptions
{
    /// <summary>How many times to re-run here (2 or more also checks determinism here).</summary>
    public int Runs { get; init; } = 1;

    /// <summary>Run in the current working tree instead of a scratch checkout.</summary>
    public bool InPlace { get; init; }

    /// <summary>Tolerance for outputs and metrics without their own.</summary>
    public Tolerance Tolerance { get; init; } = Tolerance.Default;

    /// <summary>Per-metric tolerances (key → tolerance).</summary>
    public IReadOnlyDictionary<string, Tolerance> MetricTolerances { get; init; } = new Dictionary<string, Tolerance>();

    /// <summary>Per-output tolerances (recorded path → tolerance).</summary>
    public IReadOnlyDictionary<string, Tolerance> OutputTolerances { get; init; } = new Dictionary<string, Tolerance>();

    /// <summary>Lowest share of unchanged labels/decisions still judged EQUIVALENT.</summary>
    public double MinAgreement { get; init; } = 1.0;

    /// <summary>Where each tolerance came from (defaults, repro.yaml, flags), for the report.</summary>
    public string ToleranceSource { get; init; } = "defaults";

    /// <summary>What the tolerance settings could not do (a study metric without spread), for the report.</summary>
    public IReadOnlyList<string> ToleranceNotes { get; init; } = [];

    /// <summary>Whether what the command printed on stdout is judged (on by default; off with --ignore-stdout or verify.stdout: false).</summary>
    public bool JudgeStdout { get; init; } = true;

    /// <summary>Whether what the command printed on stderr is judged (on by default; off with --ignore-stderr or verify.stderr: false).</summary>
    public bool JudgeStderr { get; init; } = true;

    /// <summary>The streams judged, in order: stdout, stderr, or fewer.</summary>
    public IReadOnlyList<string> JudgedStreams => (JudgeStdout, JudgeStderr) switch
    {
        (true, true) => ["stdout", "stderr"],
        (true, false) => ["stdout"],
        (false, true) => ["stderr"],
        _ => [],
    };

    /// <summary>Masks of volatile printed text, applied in order: the built-in ones, then the user's.</summary>
    public IReadOnlyList<TextMask> Masks { get; init; } = TextMasks.BuiltIn;

    /// <summary>Where the re-runs run (<c>--executor</c>): local unless asked, whatever the original recorded.</summary>
    public ExecutorOptions Executor { get; init; } = ExecutorOptions.Local;
}
