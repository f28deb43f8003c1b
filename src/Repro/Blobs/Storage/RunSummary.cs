using Repro.Model;

namespace Repro.Blobs.Storage;

/// <summary>One line of <c>repro runs</c>.</summary>
public sealed record RunSummary
{
    public required string Id { get; init; }

    public string? Name { get; init; }

    public required string Kind { get; init; }

    public string? ParentId { get; init; }

    public required RunStatus Status { get; init; }

    public int ExitCode { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public double WallSeconds { get; init; }

    public long? Seed { get; init; }

    public required string Digest { get; init; }

    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
}
