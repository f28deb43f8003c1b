namespace Repro.Cli.Commands;

/// <summary>How <c>repro audit log</c> and <c>repro audit verify</c> print.</summary>
public sealed record AuditSettings : ICommandSettings
{
    public bool Json { get; init; }

    public ValidationResult Validate() => ValidationResult.Success;
}
