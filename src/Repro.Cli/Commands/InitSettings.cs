namespace Repro.Cli.Commands;

/// <summary>What <c>repro init</c> sets up: the store URL, when not the workspace's SQLite file.</summary>
public sealed record InitSettings : ICommandSettings
{
    public string? Store { get; init; }

    public ValidationResult Validate() => ValidationResult.Success;
}
