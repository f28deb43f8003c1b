namespace Repro.Cli.Commands;

/// <summary>What <c>repro export</c> bundles, and where.</summary>
public sealed record ExportSettings : ICommandSettings
{
    public required string Run { get; init; }

    /// <summary>The bundle file, as the user gave it.</summary>
    public required string Output { get; init; }

    public bool WithData { get; init; }

    public ValidationResult Validate() => ValidationResult.Success;
}
