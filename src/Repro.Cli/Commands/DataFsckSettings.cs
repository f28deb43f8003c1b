namespace Repro.Cli.Commands;

/// <summary>Whether <c>repro data fsck</c> fetches corrupt blobs again, and from which remote.</summary>
public sealed record DataFsckSettings : ICommandSettings
{
    public bool Repair { get; init; }

    /// <summary>The remote's name; null takes the default remote.</summary>
    public string? Remote { get; init; }

    public ValidationResult Validate() => ValidationResult.Success;
}
