using Repro.Model.Verdicts;

namespace Repro.Judging.Comparison;

/// <summary>
/// Two printed texts (stdout or stderr) compared line by line, numbers with a tolerance and
/// volatile text masked: the verdict, the first differing lines, and which masks hid what.
/// </summary>
public sealed record PrintedComparison
{
    public required Verdict Verdict { get; init; }

    public required string Detail { get; init; }

    public long OriginalLines { get; init; }

    public long ReproducedLines { get; init; }

    /// <summary>Lines whose text differed and stayed different after masking, numbers outside tolerance.</summary>
    public long DivergedLines { get; init; }

    /// <summary>Lines that differed only in numbers inside the tolerance.</summary>
    public long WithinToleranceLines { get; init; }

    /// <summary>Lines that differed only in masked text.</summary>
    public long MaskedLines { get; init; }

    /// <summary>Each mask that hid a difference, with the number of differing lines it applied to.</summary>
    public IReadOnlyDictionary<string, long> MasksApplied { get; init; } = new Dictionary<string, long>();

    /// <summary>The first differing lines (a few), with both texts.</summary>
    public IReadOnlyList<PrintedLine> Examples { get; init; } = [];

    public double? MaxAbsError { get; init; }

    public double? MaxRelError { get; init; }
}
