namespace Repro.Cli.Commands;

/// <summary>The bundle <c>repro import</c> reads.</summary>
public sealed record ImportSettings : ICommandSettings
{
    /// <summary>The .reprobundle, as the user gave it.</summary>
    public required string Bundle { get; init; }

    public ValidationResult Validate() => ValidationResult.Success;
}
