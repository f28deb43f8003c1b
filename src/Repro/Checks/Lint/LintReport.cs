using Repro.Model.Findings;

namespace Repro.Checks.Lint;

/// <summary>What one <c>repro lint</c> found: every file checked and the findings, in file and line order.</summary>
public sealed record LintReport
{
    public required IReadOnlyList<string> Files { get; init; }

    public required IReadOnlyList<Finding> Findings { get; init; }

    /// <summary>The interpreter that parsed the code.</summary>
    public string? Interpreter { get; init; }

    /// <summary>Where the rule selection came from, e.g. "defaults &lt; repro.yaml".</summary>
    public required string SettingsSource { get; init; }

    /// <summary>Whether anything at warning or above was found (exit 1).</summary>
    public bool HasProblems => Findings.Any(f => f.Severity >= Severity.Warning);
}
