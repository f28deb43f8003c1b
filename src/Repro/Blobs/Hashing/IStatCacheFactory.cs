namespace Repro.Blobs.Hashing;

/// <summary>Opens a workspace's stat caches, one per hash algorithm (sha256 for repro, md5 for DVC's files).</summary>
public interface IStatCacheFactory
{
    IStatCache Open(string algorithm);
}
