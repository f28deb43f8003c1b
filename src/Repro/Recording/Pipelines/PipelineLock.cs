namespace Repro.Recording.Pipelines;

/// <summary>A lock file's stages in file order; an absent lock file is an empty lock.</summary>
public sealed record PipelineLock
{
    public static PipelineLock Empty { get; } = new() { Stages = [] };

    public required IReadOnlyList<LockedStage> Stages { get; init; }

    public LockedStage? Find(string name) => Stages.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));

    /// <summary>This lock with <paramref name="stage"/> replacing its namesake, or appended.</summary>
    public PipelineLock With(LockedStage stage)
    {
        var stages = Stages.ToList();
        var index = stages.FindIndex(s => string.Equals(s.Name, stage.Name, StringComparison.Ordinal));
        if (index >= 0)
        {
            stages[index] = stage;
        }
        else
        {
            stages.Add(stage);
        }

        return new PipelineLock { Stages = stages };
    }
}
