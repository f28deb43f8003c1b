namespace Repro.Checks.Checklist;

/// <summary>One line of the reproducibility checklist: the question, the answer and the evidence it rests on.</summary>
public sealed record ChecklistItem
{
    /// <summary>A stable key ("code", "data", "seed"…) for scripts and the JSON form.</summary>
    public required string Id { get; init; }

    public required string Title { get; init; }

    public required CheckStatus Status { get; init; }

    /// <summary>What the answer rests on, in a sentence a reviewer can check.</summary>
    public required string Evidence { get; init; }

    /// <summary>What would turn a No or Partial into a Yes; null for a Yes.</summary>
    public string? Fix { get; init; }
}
