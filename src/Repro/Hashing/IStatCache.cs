namespace Repro.Hashing;

/// <summary>
/// Remembers (path, size, mtime, inode) → SHA-256 so unchanged files are not hashed again.
/// Local to one machine: it never travels with the run store.
/// </summary>
public interface IStatCache
{
    bool TryGet(string path, FileStamp stamp, out string sha256);

    void Put(string path, FileStamp stamp, string sha256);

    /// <summary>Writes pending entries; safe to call from several processes at once.</summary>
    Task FlushAsync(CancellationToken cancellationToken);
}
