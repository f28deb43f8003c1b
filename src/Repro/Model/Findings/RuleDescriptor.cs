namespace Repro.Model.Findings;

/// <summary>What a rule checks and why, with the source of the advice: shown in help, README and SARIF.</summary>
public sealed record RuleDescriptor
{
    public required string Id { get; init; }

    /// <summary>A short PascalCase name, e.g. "UnseededEstimator".</summary>
    public required string Name { get; init; }

    /// <summary>One line: what is wrong.</summary>
    public required string Summary { get; init; }

    /// <summary>Why it matters, and where the advice comes from.</summary>
    public required string Rationale { get; init; }

    public Severity DefaultSeverity { get; init; } = Severity.Warning;

    public string? Taxonomy { get; init; }
}
