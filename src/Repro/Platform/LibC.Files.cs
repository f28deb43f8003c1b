using System.Runtime.InteropServices;

namespace Repro.Platform;

/// <summary>
/// The file calls the many-small-files paths need without .NET's per-open extras (an fstat, an
/// advisory flock and its release, a chmod after creation): a 4 KiB blob costs four system calls
/// to read and four to store. Linux only (x86-64 and arm64 layouts); callers fall back to .NET's
/// file APIs wherever these return false.
/// </summary>
internal static partial class LibC
{
    private const int ReadOnly = 0;
    private const int WriteOnly = 1;
    private const int Create = 0x40;
    private const int Exclusive = 0x80;
    private const int CloseOnExec = 0x80000;
    private const byte TypeDirectory = 4;
    private const byte TypeLink = 10;

    private static readonly bool _filesSupported = OperatingSystem.IsLinux()
        && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    private static volatile bool _noFastFiles;

    /// <summary>Whether the process umask strips a read bit (then a created blob needs an fchmod to be 0444, as chmod gives).</summary>
    private static readonly Lazy<bool> _umaskStripsRead = new(() =>
    {
        // /proc/self/status has "Umask:\t0022" (Linux 4.7+); reading it costs one small file, once.
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Umask:", StringComparison.Ordinal));
            return line is null || (Convert.ToInt32(line["Umask:".Length..].Trim(), 8) & 0x124) != 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return true;
        }
    });

    /// <summary>Whether the calls below work here (Linux on x86-64 or arm64, libc found).</summary>
    public static bool FastFiles => _filesSupported && !_noFastFiles;

    /// <summary>An entry of a folder as readdir(3) gives it: its name and whether it is a folder or a symbolic link.</summary>
    public readonly record struct DirEntry(string Name, bool IsDirectory, bool IsLink, bool IsUnknown);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int OpenNative(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint ReadNative(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint WriteNative(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    private static partial int FChmodNative(int fd, int mode);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int CloseNative(int fd);

    [LibraryImport("libc", EntryPoint = "rename", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int RenameNative(string from, string to);

    [LibraryImport("libc", EntryPoint = "unlink", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int UnlinkNative(string path);

    [LibraryImport("libc", EntryPoint = "lstat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int LStatNative(string path, byte* buffer);

    [LibraryImport("libc", EntryPoint = "__lxstat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int LXStatNative(int version, string path, byte* buffer);

    [LibraryImport("libc", EntryPoint = "opendir", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial nint OpenDirNative(string path);

    [LibraryImport("libc", EntryPoint = "readdir64", SetLastError = true)]
    private static partial nint ReadDirNative(nint dir);

    [LibraryImport("libc", EntryPoint = "closedir", SetLastError = true)]
    private static partial int CloseDirNative(nint dir);

    /// <summary>
    /// Reads a whole small file of about <paramref name="expectedSize"/> bytes with one open, one
    /// read and one close. Null when these calls are unavailable, the file cannot be opened, or
    /// it is not exactly the expected size any more (the caller takes the general path then).
    /// </summary>
    public static unsafe ReadOnlyMemory<byte>? TryReadSmallFile(string path, long expectedSize)
    {
        if (!_filesSupported || _noFastFiles || expectedSize < 0 || expectedSize > int.MaxValue - 1)
        {
            return null;
        }

        int fd;
        try
        {
            fd = OpenNative(path, ReadOnly | CloseOnExec, 0);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            _noFastFiles = true;
            return null;
        }

        if (fd < 0)
        {
            return null;
        }

        try
        {
            // One byte more than expected: a file that grew since its stat reads long and is left to the general path.
            var buffer = new byte[expectedSize + 1];
            long total = 0;
            fixed (byte* start = buffer)
            {
                while (total < buffer.Length)
                {
                    var n = ReadNative(fd, start + total, (nint)(buffer.Length - total));
                    if (n < 0)
                    {
                        return null;
                    }

                    if (n == 0 || (total == 0 && n == expectedSize))
                    {
                        total += n;
                        break;
                    }

                    total += n;
                }
            }

            return total == expectedSize ? buffer.AsMemory(0, (int)total) : null;
        }
        finally
        {
            CloseNative(fd);
        }
    }

    /// <summary>
    /// Creates <paramref name="path"/> (which must not exist) read-only for everyone, writes
    /// <paramref name="bytes"/> and closes it: no chmod afterwards, no lock. False when these
    /// calls are unavailable or any of them fails (nothing is left behind then).
    /// </summary>
    public static unsafe bool TryWriteNewReadOnlyFile(string path, ReadOnlySpan<byte> bytes)
    {
        if (!_filesSupported || _noFastFiles)
        {
            return false;
        }

        int fd;
        try
        {
            fd = OpenNative(path, WriteOnly | Create | Exclusive | CloseOnExec, 0x124 /* 0444 */);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            _noFastFiles = true;
            return false;
        }

        if (fd < 0)
        {
            return false;
        }

        var ok = true;
        fixed (byte* start = bytes)
        {
            var written = 0;
            while (written < bytes.Length)
            {
                var n = WriteNative(fd, start + written, bytes.Length - written);
                if (n <= 0)
                {
                    ok = false;
                    break;
                }

                written += (int)n;
            }
        }

        if (ok && _umaskStripsRead.Value)
        {
            ok = FChmodNative(fd, 0x124) == 0;
        }

        ok &= CloseNative(fd) == 0;
        if (!ok)
        {
            UnlinkNative(path);
        }

        return ok;
    }

    /// <summary>rename(2): atomic within one file system. False when it fails (the caller falls back).</summary>
    public static bool TryRename(string from, string to)
    {
        if (!_filesSupported || _noFastFiles)
        {
            return false;
        }

        try
        {
            return RenameNative(from, to) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            _noFastFiles = true;
            return false;
        }
    }

    /// <summary>
    /// The entries of one folder (without "." and ".."), with the type readdir(3) reports so no
    /// stat is needed to tell folders, files and links apart; null when unavailable here or the
    /// folder cannot be opened (the caller takes .NET's enumeration, which reports the error).
    /// </summary>
    public static unsafe List<DirEntry>? TryReadDirectory(string path)
    {
        if (!_filesSupported || _noFastFiles)
        {
            return null;
        }

        nint dir;
        try
        {
            dir = OpenDirNative(path);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            _noFastFiles = true;
            return null;
        }

        if (dir == 0)
        {
            return null;
        }

        try
        {
            var entries = new List<DirEntry>();
            while (true)
            {
                Marshal.SetLastPInvokeError(0);
                var entry = ReadDirNative(dir);
                if (entry == 0)
                {
                    return Marshal.GetLastPInvokeError() == 0 ? entries : null;
                }

                // struct dirent64: d_ino 0, d_off 8, d_reclen 16, d_type 18, d_name 19 (every Linux ABI).
                var type = *((byte*)entry + 18);
                var name = Marshal.PtrToStringUTF8(entry + 19)!;
                if (name is "." or "..")
                {
                    continue;
                }

                entries.Add(new DirEntry(name, type == TypeDirectory, type == TypeLink, type == 0));
            }
        }
        catch (EntryPointNotFoundException)
        {
            _noFastFiles = true;
            return null;
        }
        finally
        {
            CloseDirNative(dir);
        }
    }

    /// <summary>
    /// stat(2) (or lstat(2) when <paramref name="followLinks"/> is false) with the file type:
    /// inode, size, modification time in nanoseconds, and whether it is a folder or a link.
    /// </summary>
    public static unsafe bool TryStat(string path, bool followLinks, out long inode, out long size, out long mtimeNs, out bool isDirectory, out bool isLink)
    {
        inode = size = mtimeNs = 0;
        isDirectory = isLink = false;
        if (!_filesSupported)
        {
            return false;
        }

        var buffer = stackalloc byte[256];
        var arch = RuntimeInformation.ProcessArchitecture;
        try
        {
            int result;
            if (!_useXStat)
            {
                try
                {
                    result = followLinks ? StatNative(path, buffer) : LStatNative(path, buffer);
                }
                catch (EntryPointNotFoundException)
                {
                    _useXStat = true;
                    result = -1;
                }
            }
            else
            {
                result = -1;
            }

            // glibc before 2.33 exports these only as __xstat/__lxstat(version, path, buffer); _STAT_VER is 1 on x86-64, 0 on arm64.
            if (_useXStat)
            {
                var version = arch == Architecture.X64 ? 1 : 0;
                result = followLinks ? XStatNative(version, path, buffer) : LXStatNative(version, path, buffer);
            }

            if (result != 0)
            {
                return false;
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }

        // st_ino 8, st_size 48 and st_mtim 88 on both; st_mode at 24 on x86-64, 16 on arm64.
        inode = *(long*)(buffer + 8);
        size = *(long*)(buffer + 48);
        mtimeNs = (*(long*)(buffer + 88) * 1_000_000_000L) + *(long*)(buffer + 96);
        var mode = *(uint*)(buffer + (arch == Architecture.X64 ? 24 : 16)) & 0xF000;
        isDirectory = mode == 0x4000;
        isLink = mode == 0xA000;
        return true;
    }
}
