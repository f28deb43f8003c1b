namespace Repro.Model;

public sealed record ContainerInfo
{
    public bool Inside { get; init; }

    /// <summary>docker, podman, kubernetes, lxc, ... when a hint says so.</summary>
    public string? Engine { get; init; }

    public string? Id { get; init; }

    public IReadOnlyList<string> Hints { get; init; } = [];
}
