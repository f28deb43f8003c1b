namespace Repro.Cli.Commands;

/// <summary>Where <c>repro key new</c> writes the private key (the public one goes beside it).</summary>
public sealed record KeySettings : ICommandSettings
{
    public required string KeyFile { get; init; }

    public ValidationResult Validate() => ValidationResult.Success;
}
