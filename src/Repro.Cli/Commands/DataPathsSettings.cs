namespace Repro.Cli.Commands;

/// <summary>The tracked paths a data command works on (none: every tracked path), as the user typed them.</summary>
public sealed record DataPathsSettings : ICommandSettings
{
    public IReadOnlyList<string> Paths { get; init; } = [];

    public bool Json { get; init; }

    /// <summary><c>data checkout --force</c>: overwrite modified files.</summary>
    public bool Force { get; init; }

    public ValidationResult Validate() => ValidationResult.Success;
}
