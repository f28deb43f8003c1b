namespace Repro.Cli.Commands;

/// <summary>What <c>repro show</c> was asked for.</summary>
public sealed record ShowSettings : ICommandSettings
{
    /// <summary>A run id, prefix, name or @last.</summary>
    public required string Run { get; init; }

    public bool Json { get; init; }

    public ValidationResult Validate() => ValidationResult.Success;
}
