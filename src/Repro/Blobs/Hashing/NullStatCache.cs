namespace Repro.Blobs.Hashing;

/// <summary>A stat cache that remembers nothing: every file is hashed.</summary>
public sealed class NullStatCache : IStatCache
{
    public static NullStatCache Instance { get; } = new();

    public bool TryGet(string path, FileStamp stamp, out string sha256)
    {
        sha256 = string.Empty;
        return false;
    }

    public void Put(string path, FileStamp stamp, string sha256)
    {
    }

    public FolderSnapshot? GetFolder(string folder) => null;

    public void PutFolder(string folder, FolderSnapshot snapshot)
    {
    }

    public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
