namespace Repro.Interop.Models;

/// <summary>A version as stored: its lineage, the SHA-256 of its stored JSON, and the aliases pointing at it now.</summary>
public sealed record RegisteredModelVersion(ModelVersion Version, string Digest, IReadOnlyList<string> Aliases);
