using Repro.Platform;

namespace Repro.Blobs.Hashing;

/// <summary>What a file looks like from stat(2): enough to tell it has not changed.</summary>
public readonly record struct FileStamp(long Size, long MtimeNs, long Inode)
{
    public static FileStamp? Read(string path)
    {
        if (LibC.TryStat(path, out var inode, out var size, out var mtime))
        {
            return new FileStamp(size, mtime, inode);
        }

        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return null;
        }

        return new FileStamp(info.Length, (info.LastWriteTimeUtc.Ticks - DateTime.UnixEpoch.Ticks) * 100, 0);
    }
}
