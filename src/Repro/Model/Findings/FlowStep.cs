namespace Repro.Model.Findings;

/// <summary>
/// One step of the path behind a finding (where the data was fitted, transformed, split, trained
/// on or scored), so a reader or an editor can walk from the cause to the effect.
/// </summary>
public sealed record FlowStep
{
    /// <summary>The file, as the finding names it.</summary>
    public string? Path { get; init; }

    /// <summary>1-based line (within the cell for a notebook).</summary>
    public int? Line { get; init; }

    /// <summary>1-based column.</summary>
    public int? Column { get; init; }

    /// <summary>1-based code cell number for notebooks.</summary>
    public int? Cell { get; init; }

    /// <summary>What happens to the data here, e.g. "StandardScaler fitted on all rows".</summary>
    public required string Note { get; init; }
}
