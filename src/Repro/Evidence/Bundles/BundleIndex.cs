using Repro.Model;

namespace Repro.Evidence.Bundles;

/// <summary>
/// <c>bundle.json</c>, the first entry of a <c>.reprobundle</c> (a zip): what the bundle holds and
/// the SHA-256 of every record and blob, so the importer can check each before accepting it.
/// </summary>
public sealed record BundleIndex
{
    public const string FileName = "bundle.json";

    public const string BundleKind = "repro-bundle";

    public int SchemaVersion { get; init; } = 1;

    public string Kind { get; init; } = BundleKind;

    public required DateTimeOffset CreatedAt { get; init; }

    public required string ReproVersion { get; init; }

    /// <summary>The run (or study) the bundle was made for.</summary>
    public required string Subject { get; init; }

    /// <summary>Whether the inputs' bytes are inside; otherwise they are expected from a remote.</summary>
    public required bool WithData { get; init; }

    public required IReadOnlyList<BundleItem> Runs { get; init; }

    public required IReadOnlyList<BundleItem> Verifications { get; init; }

    /// <summary>Commit → SHA-256 of the listing of its files, for verifying where the repository lacks the commit.</summary>
    public required IReadOnlyDictionary<string, string> Commits { get; init; }

    public required IReadOnlyList<BlobRef> Blobs { get; init; }

    public IReadOnlyList<string> Notes { get; init; } = [];
}
