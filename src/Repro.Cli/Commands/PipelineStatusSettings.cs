namespace Repro.Cli.Commands;

/// <summary>How <c>repro pipeline status</c> prints.</summary>
public sealed record PipelineStatusSettings : ICommandSettings
{
    public bool Json { get; init; }

    public ValidationResult Validate() => ValidationResult.Success;
}
