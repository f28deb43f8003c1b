namespace Repro.Cli.Commands;

/// <summary>What <c>repro data gc</c> keeps, and whether it only lists what it would remove.</summary>
public sealed record DataGcSettings : ICommandSettings
{
    /// <summary>Keep only what pointer files refer to.</summary>
    public bool WorkspaceOnly { get; init; }

    /// <summary>Keep what pointer files or recorded runs refer to (the default, said explicitly).</summary>
    public bool AllRuns { get; init; }

    public bool DryRun { get; init; }

    public ValidationResult Validate() => WorkspaceOnly && AllRuns
        ? ValidationResult.Error("--workspace and --all-runs exclude each other")
        : ValidationResult.Success;
}
