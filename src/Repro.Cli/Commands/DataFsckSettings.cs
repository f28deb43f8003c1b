namespace Repro.Cli.Commands;

/// <summary>Whether <c>repro data fsck</c> fetches corrupt blobs again, from which remote, and whether it re-hashes that remote's blobs too.</summary>
public sealed record DataFsckSettings : ICommandSettings
{
    public bool Repair { get; init; }

    /// <summary>The remote's name; null takes the default remote.</summary>
    public string? Remote { get; init; }

    /// <summary>Also re-hash every blob on the remote (<c>--check-remote</c>).</summary>
    public bool CheckRemote { get; init; }

    public ValidationResult Validate() => ValidationResult.Success;
}
