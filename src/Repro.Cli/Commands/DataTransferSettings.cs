namespace Repro.Cli.Commands;

/// <summary>What <c>repro data push</c> or <c>pull</c> moves, through which remote, how many blobs at a time.</summary>
public sealed record DataTransferSettings : ICommandSettings
{
    /// <summary>True for push, false for pull.</summary>
    public required bool Push { get; init; }

    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>The remote's name; null takes the default remote.</summary>
    public string? Remote { get; init; }

    public int Jobs { get; init; } = 4;

    public ValidationResult Validate() => Jobs < 1 ? ValidationResult.Error("-j must be 1 or more") : ValidationResult.Success;
}
