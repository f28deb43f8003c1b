namespace Repro.Evidence.Bundles;

/// <summary>What <c>repro import</c> took in, and what was already here (same id, same digest).</summary>
public sealed record ImportResult
{
    public required string Subject { get; init; }

    public required string Sha256 { get; init; }

    public required IReadOnlyList<string> RunsImported { get; init; }

    public required IReadOnlyList<string> RunsAlreadyHere { get; init; }

    public required IReadOnlyList<string> VerificationsImported { get; init; }

    public required int BlobsAdded { get; init; }

    public required bool WithData { get; init; }

    public IReadOnlyList<string> Notes { get; init; } = [];
}
