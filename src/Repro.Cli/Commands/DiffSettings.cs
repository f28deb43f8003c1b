namespace Repro.Cli.Commands;

/// <summary>The two runs <c>repro diff</c> compares.</summary>
public sealed record DiffSettings : ICommandSettings
{
    public required string RunA { get; init; }

    public required string RunB { get; init; }

    public bool Json { get; init; }

    public ValidationResult Validate() => ValidationResult.Success;
}
