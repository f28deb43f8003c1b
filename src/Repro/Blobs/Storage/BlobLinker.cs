using Repro.Platform;

namespace Repro.Blobs.Storage;

/// <summary>
/// Puts a cache blob at a workspace path as cheaply as the file system allows: a reflink, else a
/// hard link (left read-only: editing it in place would change the cache), else a copy. The
/// target appears through a rename, so a reader never sees half a file.
/// </summary>
public static class BlobLinker
{
    private const UnixFileMode Writable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// Set after the first refused reflink (or hard link): the file system will refuse the next
    /// 20,000 too, and trying costs four system calls a file.
    /// </summary>
    private static volatile bool _noReflink;
    private static volatile bool _noHardlink;

    public static LinkKind Place(string blob, string target, bool allowHardlink)
    {
        var folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var kind = Materialise(blob, temp, allowHardlink);
            if (Directory.Exists(target))
            {
                DeleteTree(target);
            }

            File.Move(temp, target, overwrite: true);
            return kind;
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.SetAttributes(temp, FileAttributes.Normal);
                File.Delete(temp);
            }
        }
    }

    /// <summary>Removes a folder tree, read-only files included.</summary>
    public static void DeleteTree(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }

        Directory.Delete(folder, recursive: true);
    }

    private static LinkKind Materialise(string blob, string temp, bool allowHardlink)
    {
        if (OperatingSystem.IsLinux() && !_noReflink)
        {
            using var source = File.OpenHandle(blob, FileMode.Open, FileAccess.Read, FileShare.Read);
            bool cloned;
            using (var destination = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                cloned = LibC.TryClone(destination, source);
            }

            if (cloned)
            {
                File.SetUnixFileMode(temp, Writable);
                return LinkKind.Reflink;
            }

            File.Delete(temp);
            _noReflink = true;
        }

        if (allowHardlink && !_noHardlink && !OperatingSystem.IsWindows())
        {
            if (!LibC.TryLink(blob, temp))
            {
                _noHardlink = true;
                return Copy(blob, temp);
            }

            // The blob is already read-only; say so explicitly in case its mode was changed.
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            return LinkKind.Hardlink;
        }

        return Copy(blob, temp);
    }

    private static LinkKind Copy(string blob, string temp)
    {
        File.Copy(blob, temp, overwrite: true);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, Writable);
        }

        return LinkKind.Copy;
    }
}
