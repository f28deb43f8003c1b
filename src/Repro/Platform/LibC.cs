using System.Runtime.InteropServices;

namespace Repro.Platform;

/// <summary>The few libc calls .NET does not expose: stat (for inodes), getrusage, kill, link, the FICLONE ioctl and madvise (huge pages for big tables).</summary>
internal static partial class LibC
{
    public const int RusageChildren = -1;
    public const int SigInt = 2;
    public const int SigTerm = 15;
    public const int MadviseHugePage = 14;

    [StructLayout(LayoutKind.Sequential)]
    public struct TimeVal
    {
        public long Seconds;
        public long Microseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct RUsage
    {
        public TimeVal UserTime;
        public TimeVal SystemTime;
        public long MaxRss;
        public long IxRss;
        public long IdRss;
        public long IsRss;
        public long MinFlt;
        public long MajFlt;
        public long NSwap;
        public long InBlock;
        public long OuBlock;
        public long MsgSnd;
        public long MsgRcv;
        public long NSignals;
        public long NVCsw;
        public long NIvCsw;
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    public static partial int Madvise(nint address, nuint length, int advice);

    [LibraryImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static partial int GetRUsageNative(int who, out RUsage usage);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillNative(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int StatNative(string path, byte* buffer);

    /// <summary>glibc before 2.33 exports stat only as __xstat(version, path, buffer).</summary>
    [LibraryImport("libc", EntryPoint = "__xstat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int XStatNative(int version, string path, byte* buffer);

    /// <summary>FICLONE = _IOW(0x94, 9, int): share the source's extents (btrfs, XFS, bcachefs).</summary>
    private const ulong FiClone = 0x40049409;

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LinkNative(string existing, string created);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int IoctlNative(int fd, ulong request, int argument);

    /// <summary>Creates a hard link; false when the file system or the platform cannot.</summary>
    public static bool TryLink(string existing, string created)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        try
        {
            return LinkNative(existing, created) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Makes <paramref name="destination"/> a copy-on-write clone of <paramref name="source"/>; false where unsupported.</summary>
    public static bool TryClone(Microsoft.Win32.SafeHandles.SafeFileHandle destination, Microsoft.Win32.SafeHandles.SafeFileHandle source)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        var added = false;
        var added2 = false;
        try
        {
            destination.DangerousAddRef(ref added);
            source.DangerousAddRef(ref added2);
            return IoctlNative((int)destination.DangerousGetHandle(), FiClone, (int)source.DangerousGetHandle()) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
        finally
        {
            if (added)
            {
                destination.DangerousRelease();
            }

            if (added2)
            {
                source.DangerousRelease();
            }
        }
    }

    private static bool _useXStat;

    /// <summary>CPU seconds of every child (and their waited-for descendants) this process has reaped.</summary>
    public static double? ChildrenCpuSeconds()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return null;
        }

        try
        {
            if (GetRUsageNative(RusageChildren, out var usage) != 0)
            {
                return null;
            }

            return usage.UserTime.Seconds + (usage.UserTime.Microseconds / 1e6) + usage.SystemTime.Seconds + (usage.SystemTime.Microseconds / 1e6);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    public static bool Kill(int pid, int signal)
    {
        try
        {
            return KillNative(pid, signal) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// Inode, size and modification time in nanoseconds, read with one stat(2) call. Only the
    /// x86-64 and arm64 Linux layouts are known; elsewhere the inode is reported as 0.
    /// </summary>
    public static unsafe bool TryStat(string path, out long inode, out long size, out long mtimeNs)
    {
        inode = 0;
        size = 0;
        mtimeNs = 0;
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        var arch = RuntimeInformation.ProcessArchitecture;
        if (arch != Architecture.X64 && arch != Architecture.Arm64)
        {
            return false;
        }

        var buffer = stackalloc byte[256];
        try
        {
            if (!_useXStat)
            {
                try
                {
                    if (StatNative(path, buffer) != 0)
                    {
                        return false;
                    }
                }
                catch (EntryPointNotFoundException)
                {
                    _useXStat = true;
                }
            }

            // _STAT_VER is 1 on x86-64 and 0 on arm64 (same struct layouts as above).
            if (_useXStat && XStatNative(arch == Architecture.X64 ? 1 : 0, path, buffer) != 0)
            {
                return false;
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }

        inode = *(long*)(buffer + 8);
        if (arch == Architecture.X64)
        {
            // st_dev 0, st_ino 8, st_nlink 16, st_mode 24, uid 28, gid 32, pad 36, st_rdev 40,
            // st_size 48, st_blksize 56, st_blocks 64, st_atim 72, st_mtim 88.
            size = *(long*)(buffer + 48);
            mtimeNs = (*(long*)(buffer + 88) * 1_000_000_000L) + *(long*)(buffer + 96);
        }
        else
        {
            // arm64 (generic layout): st_dev 0, st_ino 8, st_mode 16, st_nlink 20, uid 24,
            // gid 28, st_rdev 32, pad 40, st_size 48, st_blksize 56, pad 60, st_blocks 64,
            // st_atim 72, st_mtim 88.
            size = *(long*)(buffer + 48);
            mtimeNs = (*(long*)(buffer + 88) * 1_000_000_000L) + *(long*)(buffer + 96);
        }

        return true;
    }
}
