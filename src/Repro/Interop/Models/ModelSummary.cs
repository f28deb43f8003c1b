namespace Repro.Interop.Models;

/// <summary>One line of <c>repro model list</c>.</summary>
public sealed record ModelSummary
{
    public required string Name { get; init; }

    public required long Versions { get; init; }

    public required long Latest { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Alias to the version it points at.</summary>
    public required IReadOnlyDictionary<string, long> Aliases { get; init; }
}
