namespace Repro.Execution;

/// <summary>What <c>--executor container</c> was asked for: the image and the network.</summary>
public sealed record ContainerSettings
{
    public const string NoNetwork = "none";

    /// <summary>A local image: name[:tag] or an image id. Never pulled.</summary>
    public required string Image { get; init; }

    /// <summary>The engine's <c>--network</c> value: none (the default), host, or a network's name.</summary>
    public string Network { get; init; } = NoNetwork;

    /// <summary>For a re-run: the name the run recorded, when <see cref="Image"/> is its id.</summary>
    public string? RecordedAs { get; init; }
}
