namespace Repro.Recording.Pipelines;

/// <summary>A loaded pipeline file: where it is, what kind, its stages in file order.</summary>
public sealed record PipelineDefinition
{
    public required PipelineKind Kind { get; init; }

    /// <summary>The folder holding the pipeline file; stage folders are relative to it.</summary>
    public required string Root { get; init; }

    public required string DefinitionPath { get; init; }

    public required string LockPath { get; init; }

    public required IReadOnlyList<PipelineStage> Stages { get; init; }

    public string DefinitionName => Path.GetFileName(DefinitionPath);

    public string LockName => Path.GetFileName(LockPath);
}
