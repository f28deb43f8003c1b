namespace Repro.Cli.Commands;

/// <summary>The two studies <c>repro compare</c> weighs, and which way is better.</summary>
public sealed record CompareSettings : ICommandSettings
{
    public required string StudyA { get; init; }

    public required string StudyB { get; init; }

    /// <summary>Only this metric; null compares every metric both have.</summary>
    public string? Metric { get; init; }

    public bool HigherIsBetter { get; init; }

    public bool LowerIsBetter { get; init; }

    public bool Json { get; init; }

    /// <summary>True, false, or null to guess from each metric's name.</summary>
    public bool? Direction => HigherIsBetter ? true : LowerIsBetter ? false : null;

    public ValidationResult Validate() => HigherIsBetter && LowerIsBetter
        ? ValidationResult.Error("--higher-is-better and --lower-is-better contradict each other")
        : ValidationResult.Success;
}
