namespace Repro.Recording.Pipelines;

/// <summary>The parameters a stage reads from one file; no keys means every top-level key of the file.</summary>
public sealed record ParamsDependency
{
    /// <summary>As written in the pipeline file, relative to the stage's folder.</summary>
    public required string File { get; init; }

    public IReadOnlyList<string> Keys { get; init; } = [];
}
