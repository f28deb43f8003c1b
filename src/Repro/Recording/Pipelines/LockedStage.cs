namespace Repro.Recording.Pipelines;

/// <summary>What the lock file says about one stage after it last ran.</summary>
public sealed record LockedStage
{
    public required string Name { get; init; }

    public required IReadOnlyList<string> Commands { get; init; }

    public bool CommandIsList { get; init; }

    public IReadOnlyList<LockedArtifact> Deps { get; init; } = [];

    public IReadOnlyList<LockedParams> Params { get; init; } = [];

    public IReadOnlyList<LockedArtifact> Outs { get; init; } = [];

    public long? Seed { get; init; }

    /// <summary>The repro run that recorded this stage (repro.lock only).</summary>
    public string? RunId { get; init; }
}
