using Repro.Execution;

namespace Repro.Cli.Commands;

/// <summary>What <c>repro verify</c> re-runs, how many times, where, with which tolerances, and where the report goes.</summary>
public sealed record VerifyCommandSettings : ICommandSettings
{
    /// <summary>The run: id, prefix, name or @last.</summary>
    public required string Run { get; init; }

    public int Runs { get; init; } = 1;

    public bool InPlace { get; init; }

    public double? Rtol { get; init; }

    public double? Atol { get; init; }

    /// <summary>KEY=TOL pairs as typed.</summary>
    public IReadOnlyList<string> MetricTolerances { get; init; } = [];

    public double? MinAgreement { get; init; }

    /// <summary>A seed study whose spread sets each metric's tolerance.</summary>
    public string? ToleranceFrom { get; init; }

    /// <summary>With <see cref="ToleranceFrom"/>: how many standard deviations a metric may move.</summary>
    public double? K { get; init; }

    public bool IgnoreStdout { get; init; }

    public bool IgnoreStderr { get; init; }

    public bool Json { get; init; }

    /// <summary>A JUnit XML file to write as well, as given.</summary>
    public string? Junit { get; init; }

    public required ExecutorOptions Executor { get; init; }

    public ValidationResult Validate() => ValidationResult.FirstOf(
        K is not null && ToleranceFrom is null ? ValidationResult.Error("--k needs --tolerance-from STUDY") : ValidationResult.Success,
        ExecutorFlags.Validate(Executor));
}
