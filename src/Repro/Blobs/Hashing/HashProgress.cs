namespace Repro.Blobs.Hashing;

/// <summary>How far hashing has come, for a progress bar.</summary>
public readonly record struct HashProgress(string Label, long FilesDone, long FilesTotal, long BytesDone, long BytesTotal);
