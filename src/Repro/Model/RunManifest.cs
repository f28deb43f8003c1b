namespace Repro.Model;

/// <summary>
/// Everything repro knows about one run: the three pillars (code, data, environment) plus
/// parameters, seed, outputs, metrics and execution. Stored as canonical JSON; its SHA-256 is
/// the run's digest.
/// </summary>
public sealed record RunManifest
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required string Id { get; init; }

    public string? Name { get; init; }

    /// <summary>"run" for a recorded run (a seed of a study too, with the study as parent), "verification" for a re-run, "study" for a seed study.</summary>
    public string Kind { get; init; } = "run";

    public string? ParentId { get; init; }

    public required RunStatus Status { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required CodeSnapshot Code { get; init; }

    public required IReadOnlyList<ArtifactRecord> Deps { get; init; }

    public required IReadOnlyList<ArtifactRecord> Outputs { get; init; }

    public required IReadOnlyDictionary<string, string> Params { get; init; }

    public required IReadOnlyList<ArtifactRecord> ParamsFiles { get; init; }

    public long? Seed { get; init; }

    public required DeterminismProfile Determinism { get; init; }

    public required EnvironmentSnapshot Environment { get; init; }

    public required MetricsRecord Metrics { get; init; }

    public required ExecutionRecord Execution { get; init; }

    public required IReadOnlyDictionary<string, string> Tags { get; init; }

    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>Only for kind "study": seeds, children and statistics. Absent from other manifests.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public StudyRecord? Study { get; init; }
}
