namespace Repro.Recording.Pipelines;

/// <summary>The values a stage's params had in one file when it last ran.</summary>
public sealed record LockedParams
{
    public required string File { get; init; }

    public required IReadOnlyList<KeyValuePair<string, ParamValue>> Values { get; init; }
}
