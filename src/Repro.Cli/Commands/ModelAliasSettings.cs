namespace Repro.Cli.Commands;

/// <summary>The alias <c>repro model alias</c> moves (NAME@ALIAS) and the version it points at.</summary>
public sealed record ModelAliasSettings : ICommandSettings
{
    public required string Target { get; init; }

    public long Version { get; init; }

    public ValidationResult Validate() => ValidationResult.Success;
}
