namespace Repro.Blobs.Hashing;

/// <summary>A file of a <see cref="FolderSnapshot"/>: its '/'-separated relative path, its stat when hashed, and its SHA-256.</summary>
public readonly record struct StampedFile(string Path, FileStamp Stamp, string Sha256);
