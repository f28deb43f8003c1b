namespace Repro.Checks.Lint;

/// <summary>What the interpreter made of one <see cref="SourceUnit"/>: its tree, or the syntax error.</summary>
public sealed record ParsedUnit
{
    public required SourceUnit Source { get; init; }

    public PyNode? Tree { get; init; }

    /// <summary>Comments that mention "repro:" (suppressions), by 1-based line.</summary>
    public IReadOnlyDictionary<int, string> Comments { get; init; } = new Dictionary<int, string>();

    public string? SyntaxError { get; init; }

    public int ErrorLine { get; init; }

    public int ErrorColumn { get; init; }
}
