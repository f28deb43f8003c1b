namespace Repro.Cli.Commands;

/// <summary>Which output of which run <c>repro model register</c> makes the next version of a model, and the aliases to point at it.</summary>
public sealed record ModelRegisterSettings : ICommandSettings
{
    public required string Name { get; init; }

    public required string Run { get; init; }

    /// <summary>The declared output, as typed (relative to the working folder, or as the run recorded it).</summary>
    public required string Output { get; init; }

    public IReadOnlyList<string> Aliases { get; init; } = [];

    public bool AllowFailed { get; init; }

    public bool Json { get; init; }

    public ValidationResult Validate() => ValidationResult.Success;
}
