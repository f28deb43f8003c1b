namespace Repro.Recording.Pipelines;

/// <summary>One stage as its pipeline file declares it; paths are as written, relative to <see cref="WorkingDirectory"/>.</summary>
public sealed record PipelineStage
{
    public required string Name { get; init; }

    /// <summary>Shell commands run one after another; a single string command is one entry.</summary>
    public required IReadOnlyList<string> Commands { get; init; }

    /// <summary>True when the file wrote <c>cmd</c> as a list (the lock keeps the same shape).</summary>
    public bool CommandIsList { get; init; }

    /// <summary>The stage's folder relative to the pipeline file's folder, '/'-separated ("." for the same).</summary>
    public string WorkingDirectory { get; init; } = ".";

    public IReadOnlyList<string> Deps { get; init; } = [];

    public IReadOnlyList<ParamsDependency> Params { get; init; } = [];

    /// <summary>Every output, metrics and plots files included.</summary>
    public IReadOnlyList<string> Outs { get; init; } = [];

    /// <summary>The outputs that are metrics files (also in <see cref="Outs"/>).</summary>
    public IReadOnlyList<string> Metrics { get; init; } = [];

    /// <summary>Outputs DVC keeps in place before a run (<c>persist: true</c>); every other out is removed (after being cached) before its stage runs.</summary>
    public IReadOnlyList<string> Persist { get; init; } = [];

    /// <summary>Outputs DVC keeps out of its cache (<c>cache: false</c>).</summary>
    public IReadOnlyList<string> Uncached { get; init; } = [];

    public long? Seed { get; init; }

    /// <summary>A frozen stage is never run; only its outputs are checked.</summary>
    public bool Frozen { get; init; }

    /// <summary>Runs every time.</summary>
    public bool AlwaysChanged { get; init; }
}
