
namespace Repro.Model.Verdicts;

/// <summary>
/// The verdict on what the command printed on one stream (stdout or stderr): compared line by
/// line like an output, numbers with the tolerance, volatile text masked, with the evidence.
/// </summary>
public sealed record PrintedJudgement
{
    /// <summary>"stdout" or "stderr".</summary>
    public required string Stream { get; init; }

    public required Verdict Verdict { get; init; }

    /// <summary>"sha256" when the bytes were the same, "printed" for the line-by-line comparison.</summary>
    public required string Comparer { get; init; }

    public required string Detail { get; init; }

    public string? OriginalSha256 { get; init; }

    public string? ReproducedSha256 { get; init; }

    /// <summary>Bytes each run printed on this stream.</summary>
    public long OriginalBytes { get; init; }

    public long ReproducedBytes { get; init; }

    /// <summary>Lines each run printed, when the text was compared line by line.</summary>
    public long? OriginalLines { get; init; }

    public long? ReproducedLines { get; init; }

    /// <summary>True when either capture was capped: the middle of the text was not kept, so not compared.</summary>
    public bool Truncated { get; init; }

    /// <summary>The tolerance numbers were compared with, when the text differed.</summary>
    public string? Tolerance { get; init; }

    public double? Rtol { get; init; }

    public double? Atol { get; init; }

    public double? MaxAbsError { get; init; }

    public double? MaxRelError { get; init; }

    /// <summary>Each mask that hid a difference, with the number of lines it applied to.</summary>
    public IReadOnlyDictionary<string, long> Masked { get; init; } = new Dictionary<string, long>();

    /// <summary>The first differing lines, both texts.</summary>
    public IReadOnlyList<PrintedLine> Lines { get; init; } = [];
}
