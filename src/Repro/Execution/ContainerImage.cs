using System.Text.Json;

namespace Repro.Execution;

/// <summary>A local image as the engine describes it: what the environment pillar records and what verify re-runs in.</summary>
public sealed record ContainerImage
{
    /// <summary>The reference the user gave (name:tag, or an id).</summary>
    public required string Reference { get; init; }

    /// <summary>The image id (sha256:...): what a verification runs by default.</summary>
    public required string Id { get; init; }

    /// <summary>The manifest digest (sha256:...), when the engine knows one.</summary>
    public string? Digest { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Parses one element of <c>image inspect</c>'s JSON array (podman and docker both).</summary>
    public static ContainerImage Parse(string reference, string inspectJson)
    {
        using var document = JsonDocument.Parse(inspectJson);
        var root = document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement[0] : document.RootElement;
        var id = root.GetProperty(nameof(Id)).GetString() ?? throw new FormatException("image inspect gave no Id");
        if (!id.StartsWith("sha256:", StringComparison.Ordinal))
        {
            id = "sha256:" + id;
        }

        string? digest = root.TryGetProperty(nameof(Digest), out var d) && d.ValueKind == JsonValueKind.String && d.GetString()!.Length > 0 ? d.GetString() : null;
        if (digest is null && root.TryGetProperty("RepoDigests", out var repoDigests) && repoDigests.ValueKind == JsonValueKind.Array)
        {
            digest = repoDigests.EnumerateArray().Select(e => e.GetString()).FirstOrDefault(s => s is not null && s.Contains('@', StringComparison.Ordinal))?.Split('@')[1];
        }

        var tags = root.TryGetProperty("RepoTags", out var t) && t.ValueKind == JsonValueKind.Array
            ? t.EnumerateArray().Select(e => e.GetString()).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];
        return new ContainerImage { Reference = reference, Id = id, Digest = digest, Tags = tags };
    }
}
