using Repro.Model;

namespace Repro.Interop.Models;

/// <summary>
/// One registered version of a model and its lineage, frozen at registration: which run, which
/// output file (and its hash), which code, which data, which environment, which verifications.
/// Stored as canonical JSON whose SHA-256 is logged in the audit chain.
/// </summary>
public sealed record ModelVersion
{
    public required string Name { get; init; }

    public required long Version { get; init; }

    public required DateTimeOffset RegisteredAt { get; init; }

    public required ModelRun Run { get; init; }

    /// <summary>The declared output that is the model: path, kind, SHA-256, size.</summary>
    public required ArtifactRecord Output { get; init; }

    public required ModelCode Code { get; init; }

    /// <summary>The run's declared inputs (deps) with their hashes: the data the model was trained on.</summary>
    public required IReadOnlyList<ArtifactRecord> Data { get; init; }

    public required ModelEnvironment Environment { get; init; }

    public required IReadOnlyList<ModelVerification> Verifications { get; init; }

    public required IReadOnlyDictionary<string, string> Params { get; init; }

    public required IReadOnlyDictionary<string, double> Metrics { get; init; }

    public long? Seed { get; init; }
}
