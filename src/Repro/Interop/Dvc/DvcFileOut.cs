using Repro.Recording.Pipelines;

namespace Repro.Interop.Dvc;

/// <summary>One output of a <c>.dvc</c> file: where it is (relative to the project root) and what DVC recorded.</summary>
public sealed record DvcFileOut
{
    /// <summary>The <c>.dvc</c> file, relative to the project root.</summary>
    public required string DvcFile { get; init; }

    /// <summary>The output's path relative to the project root.</summary>
    public required string Path { get; init; }

    public required LockedArtifact Recorded { get; init; }
}
