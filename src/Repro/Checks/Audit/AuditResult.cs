namespace Repro.Checks.Audit;

/// <summary>What <c>repro audit verify</c> found: intact, or the first broken link and every problem seen.</summary>
public sealed record AuditResult
{
    public required int Entries { get; init; }

    public required bool Intact { get; init; }

    /// <summary>The hash of the last link: quote it to pin the log's state at this moment.</summary>
    public string? Head { get; init; }

    public AuditProblem? FirstBroken { get; init; }

    public required IReadOnlyList<AuditProblem> Problems { get; init; }
}
