namespace Repro.Blobs.Hashing;

/// <summary>One line of a folder's canonical listing.</summary>
public sealed record DirectoryEntry(string Path, string Sha256, long Size);
