namespace Repro.Blobs.Hashing;

/// <summary>A file found under a folder: its '/'-separated relative path, full path, size and stat (when asked for), and whether it is a symbolic link to a file.</summary>
internal readonly record struct ListedFile(string Relative, string Full, long Size, FileStamp? Stamp, bool IsLink);
