namespace Repro.Cli.Commands;

/// <summary>The MLflow file store <c>repro import mlruns</c> reads.</summary>
public sealed record MlrunsImportSettings : ICommandSettings
{
    /// <summary>The mlruns folder, as the user gave it.</summary>
    public required string Path { get; init; }

    public ValidationResult Validate() => ValidationResult.Success;
}
