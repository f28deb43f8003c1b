namespace Repro.Cli.Commands;

/// <summary>What <c>repro env</c> probes: the interpreter, and how it prints.</summary>
public sealed record EnvSettings : ICommandSettings
{
    public bool Json { get; init; }

    /// <summary>The interpreter to probe; null takes python3 on PATH.</summary>
    public string? Python { get; init; }

    public ValidationResult Validate() => ValidationResult.Success;
}
