namespace Repro.Recording.Pipelines;

/// <summary>What happened to a stage during <c>pipeline run</c>.</summary>
public enum PipelineEventKind
{
    Skipped,
    Frozen,
    WouldRun,
    Running,
    Succeeded,
    Failed,
}
