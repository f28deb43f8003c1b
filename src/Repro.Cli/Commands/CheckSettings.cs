using Repro.Checks.Checklist;

namespace Repro.Cli.Commands;

/// <summary>The run <c>repro check</c> evaluates, and the level below which it fails.</summary>
public sealed record CheckSettings : ICommandSettings
{
    public required string Run { get; init; }

    public bool Json { get; init; }

    /// <summary>R1..R4 as typed; null never fails.</summary>
    public string? FailUnder { get; init; }

    /// <summary>The level of <see cref="FailUnder"/> (valid settings only).</summary>
    public ReproducibilityLevel? Threshold => FailUnder is { } text ? ChecklistResult.ParseLevel(text) : null;

    public ValidationResult Validate()
    {
        try
        {
            _ = Threshold;
            return ValidationResult.Success;
        }
        catch (ReproException ex)
        {
            return ValidationResult.Error(ex.Message);
        }
    }
}
