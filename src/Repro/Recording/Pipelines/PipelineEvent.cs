namespace Repro.Recording.Pipelines;

/// <summary>One step of a pipeline run, reported as it happens (the CLI prints it).</summary>
public sealed record PipelineEvent
{
    public required string Stage { get; init; }

    public required PipelineEventKind Kind { get; init; }

    public IReadOnlyList<string> Reasons { get; init; } = [];

    public string? RunId { get; init; }

    public int ExitCode { get; init; }
}
