namespace Repro.Cli.Commands;

/// <summary>The two splits <c>repro leak</c> compares, the roles of their columns and the thresholds given.</summary>
public sealed record LeakCommandSettings : ICommandSettings
{
    public required string Train { get; init; }

    public required string Test { get; init; }

    public string? Target { get; init; }

    public IReadOnlyList<string> Ids { get; init; } = [];

    public string? Group { get; init; }

    public string? Time { get; init; }

    public IReadOnlyList<string> Ignore { get; init; } = [];

    /// <summary>The separator as typed (one character or 'tab'); null sniffs it.</summary>
    public string? Separator { get; init; }

    public double? AucThreshold { get; init; }

    public double? NmiThreshold { get; init; }

    public double? ShiftThreshold { get; init; }

    public int? SampleSize { get; init; }

    public bool Json { get; init; }

    public string? Sarif { get; init; }

    public ValidationResult Validate() => ValidationResult.Success;
}
