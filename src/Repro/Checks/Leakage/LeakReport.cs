using Repro.Model.Findings;

namespace Repro.Checks.Leakage;

/// <summary>The outcome of <c>repro leak</c>: the findings, and what was compared so a reader can judge them.</summary>
public sealed record LeakReport
{
    public required IReadOnlyList<Finding> Findings { get; init; }

    public required LeakSummary Summary { get; init; }

    /// <summary>1 when any finding is a warning or worse, else 0.</summary>
    public int ExitCode => Findings.Any(f => f.Severity >= Severity.Warning) ? (int)Repro.ExitCode.Differs : (int)Repro.ExitCode.Ok;
}
