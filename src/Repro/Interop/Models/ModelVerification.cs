namespace Repro.Interop.Models;

/// <summary>A verification of the run: its verdict (REPRODUCED, DIFFERS, ...) and when.</summary>
public sealed record ModelVerification
{
    public required string Id { get; init; }

    public required string Verdict { get; init; }

    public required DateTimeOffset VerifiedAt { get; init; }

    public required string Summary { get; init; }

    /// <summary>SHA-256 of the stored verification report.</summary>
    public required string Digest { get; init; }
}
