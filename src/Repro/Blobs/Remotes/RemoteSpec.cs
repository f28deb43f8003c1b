namespace Repro.Blobs.Remotes;

/// <summary>A named remote as stored in <c>.repro/config.yaml</c>: a name and a URL, nothing secret.</summary>
public sealed record RemoteSpec(string Name, string Url);
