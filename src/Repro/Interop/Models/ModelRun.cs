namespace Repro.Interop.Models;

/// <summary>The run a model version came from, as it was stored when the version was registered.</summary>
public sealed record ModelRun
{
    public required string Id { get; init; }

    public string? Name { get; init; }

    public required string Kind { get; init; }

    /// <summary>repro's status word: ok, failed, ...</summary>
    public required string Status { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>SHA-256 of the run's stored manifest: the run cannot change under the version unnoticed.</summary>
    public required string Digest { get; init; }
}
