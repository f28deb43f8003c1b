namespace Repro.Model;

/// <summary>Untracked files past the capture budget: counted, the folder holding most of them, and their listing (one "SIZE\tPATH" line each) in the cache; never read or hashed.</summary>
public sealed record UntrackedOverBudget
{
    public required int Files { get; init; }

    public required long Bytes { get; init; }

    /// <summary>The top-level folder (relative to the repository) that holds most of them, or "." for the root.</summary>
    public required string Folder { get; init; }

    public required int BudgetFiles { get; init; }

    public required long BudgetBytes { get; init; }

    /// <summary>The listing of the files past the budget, one "SIZE\tPATH" line each, smallest first.</summary>
    public required BlobRef Listing { get; init; }
}
