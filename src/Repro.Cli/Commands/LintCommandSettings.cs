namespace Repro.Cli.Commands;

/// <summary>What <c>repro lint</c> checks, which rules, and where the findings go.</summary>
public sealed record LintCommandSettings : ICommandSettings
{
    public IReadOnlyList<string> Paths { get; init; } = [];

    public bool Json { get; init; }

    /// <summary>A SARIF file to write, or '-' for stdout instead of the text lines.</summary>
    public string? Sarif { get; init; }

    public IReadOnlyList<string> Select { get; init; } = [];

    public IReadOnlyList<string> Ignore { get; init; } = [];

    public string? Python { get; init; }

    public ValidationResult Validate() => Json && Sarif == "-"
        ? ValidationResult.Error("--json and --sarif - both print to stdout: give --sarif a file")
        : ValidationResult.Success;
}
