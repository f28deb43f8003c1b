namespace Repro.Cli.Commands;

/// <summary>Which run's environment <c>repro env export</c> freezes, in which format, to which file.</summary>
public sealed record EnvExportSettings : ICommandSettings
{
    public required string Run { get; init; }

    /// <summary>requirements or dockerfile (checked against the exporters when the command runs).</summary>
    public required string Format { get; init; }

    /// <summary>The file to write, as given; null prints.</summary>
    public string? Output { get; init; }

    public ValidationResult Validate() => ValidationResult.Success;
}
