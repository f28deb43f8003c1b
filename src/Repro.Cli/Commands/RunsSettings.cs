namespace Repro.Cli.Commands;

/// <summary>What <c>repro runs</c> lists: a name, a status and how many.</summary>
public sealed record RunsSettings : ICommandSettings
{
    public string? Name { get; init; }

    /// <summary>ok, failed or running (the parser accepts nothing else).</summary>
    public string? Status { get; init; }

    public bool Json { get; init; }

    /// <summary>At most this many runs; 0 lists all.</summary>
    public int Limit { get; init; } = 50;

    public ValidationResult Validate() => Limit < 0 ? ValidationResult.Error("--limit must be 0 (all) or more") : ValidationResult.Success;
}
