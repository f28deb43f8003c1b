namespace Repro.Model;

/// <summary>A pointer to bytes in the content-addressed cache.</summary>
public sealed record BlobRef(string Sha256, long Size);
