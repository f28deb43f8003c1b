using Repro.Model;

namespace Repro.Blobs.Storage;

public sealed record RunQuery
{
    public string? Name { get; init; }

    public RunStatus? Status { get; init; }

    public int Limit { get; init; } = 50;
}
