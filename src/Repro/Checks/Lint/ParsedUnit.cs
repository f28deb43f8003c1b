namespace Repro.Checks.Lint;

/// <summary>What the interpreter made of one <see cref="SourceUnit"/>: its tree, the syntax error, or why it was not analysed.</summary>
public sealed record ParsedUnit
{
    public required SourceUnit Source { get; init; }

    public PyNode? Tree { get; init; }

    /// <summary>Comments that mention "repro:" (suppressions), by 1-based line.</summary>
    public IReadOnlyDictionary<int, string> Comments { get; init; } = new Dictionary<int, string>();

    public string? SyntaxError { get; init; }

    public int ErrorLine { get; init; }

    public int ErrorColumn { get; init; }

    /// <summary>Why a unit that parses was still not analysed (past a limit, or a fault reading its tree); null otherwise.</summary>
    public string? NotAnalysed { get; init; }
}
