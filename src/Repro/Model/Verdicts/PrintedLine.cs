namespace Repro.Model.Verdicts;

/// <summary>One printed line that differs between two runs: both texts (cut to 200 characters) and how it was judged.</summary>
public sealed record PrintedLine
{
    /// <summary>1-based line number in the original's text (the re-run's, past the original's end).</summary>
    public required long Line { get; init; }

    /// <summary>The original's line, or null past its end.</summary>
    public string? Original { get; init; }

    /// <summary>The re-run's line, or null past its end.</summary>
    public string? Reproduced { get; init; }

    /// <summary>"diverged", or "within tolerance" when only numbers moved, and inside the tolerance.</summary>
    public required string Judged { get; init; }
}
