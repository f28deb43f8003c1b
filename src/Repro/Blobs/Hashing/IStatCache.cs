namespace Repro.Blobs.Hashing;

/// <summary>
/// Remembers (path, size, mtime, inode) → SHA-256 so unchanged files are not hashed again, and
/// for a folder the whole snapshot of its files, so an unchanged folder costs a walk and one read.
/// Local to one machine: it never travels with the run store.
/// </summary>
public interface IStatCache
{
    bool TryGet(string path, FileStamp stamp, out string sha256);

    void Put(string path, FileStamp stamp, string sha256);

    /// <summary>The snapshot last stored for the folder at <paramref name="folder"/> (a full path), or null.</summary>
    FolderSnapshot? GetFolder(string folder);

    /// <summary>Remembers a folder's snapshot (written by <see cref="FlushAsync"/>).</summary>
    void PutFolder(string folder, FolderSnapshot snapshot);

    /// <summary>Writes pending entries; safe to call from several processes at once.</summary>
    Task FlushAsync(CancellationToken cancellationToken);
}
