namespace Repro.Model.Findings;

/// <summary>
/// One thing a check found (a leak between data splits, a determinism or leakage problem in
/// code): a value, never an exception, with where it is and the evidence behind it.
/// </summary>
public sealed record Finding
{
    /// <summary>The rule's id, e.g. "DET006" or "L1.4".</summary>
    public required string RuleId { get; init; }

    public required Severity Severity { get; init; }

    /// <summary>One line a user can act on.</summary>
    public required string Message { get; init; }

    /// <summary>The file the finding is in, relative to where the check ran, with '/' separators.</summary>
    public string? Path { get; init; }

    /// <summary>1-based line (within the cell for a notebook).</summary>
    public int? Line { get; init; }

    /// <summary>1-based column.</summary>
    public int? Column { get; init; }

    /// <summary>1-based code cell number for notebooks.</summary>
    public int? Cell { get; init; }

    /// <summary>The Kapoor &amp; Narayanan leakage taxonomy code (L1.1 … L3.3), when the finding maps to one.</summary>
    public string? Taxonomy { get; init; }

    /// <summary>Counts and measures behind the finding (e.g. "count" = 12, "share" = 0.03, "auc" = 0.99).</summary>
    public IReadOnlyDictionary<string, double> Figures { get; init; } = new Dictionary<string, double>();

    /// <summary>Up to five example rows or values.</summary>
    public IReadOnlyList<string> Examples { get; init; } = [];

    /// <summary>The path behind the finding, cause first (for a leak: fitted, split, trained on); empty when it is one place.</summary>
    public IReadOnlyList<FlowStep> Flow { get; init; } = [];
}
