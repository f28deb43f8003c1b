namespace Repro.Recording.Pipelines;

/// <summary>What <c>repro pipeline run</c> was asked: which stages, and whether to force or only show.</summary>
public sealed record PipelineRunOptions
{
    /// <summary>Stage names; empty means every stage.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];

    public bool Force { get; init; }

    public bool DryRun { get; init; }
}
