using Repro.Model;

namespace Repro.Blobs.Storage;

/// <summary>A manifest as stored: its canonical JSON and the SHA-256 digest of those bytes.</summary>
public sealed record StoredRun(RunManifest Manifest, string Json, string Digest);
