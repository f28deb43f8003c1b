namespace Repro.Cli.Commands;

/// <summary>Which stages <c>repro pipeline run</c> considers, and whether it forces them or only says what it would do.</summary>
public sealed record PipelineRunSettings : ICommandSettings
{
    public IReadOnlyList<string> Stages { get; init; } = [];

    public bool Force { get; init; }

    public bool DryRun { get; init; }

    /// <summary>Whether a command followed "--" (stages are declared in repro.yaml, never given there).</summary>
    public bool CommandGiven { get; init; }

    public ValidationResult Validate() => CommandGiven
        ? ValidationResult.Error("'pipeline run' takes no command after '--'; stages are declared in repro.yaml")
        : ValidationResult.Success;
}
