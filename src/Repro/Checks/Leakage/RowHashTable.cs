using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Repro.Platform;

namespace Repro.Checks.Leakage;

/// <summary>
/// An open-addressing set of 128-bit row hashes, each with the line it was first seen on: one
/// 24-byte slot per entry (hash and line side by side, so a probe costs one cache miss), at most
/// 70% full — memory grows with the distinct rows and nothing else. Zero marks an empty slot (a
/// real zero hash is stored as one: odds 2^-128). The slots are native memory, on Linux asked for
/// in 2 MiB pages: a table of hundreds of megabytes then costs neither a TLB miss per probe nor a
/// page fault per 4 KiB, and the slots a table outgrows are returned at once, not at the next GC.
/// </summary>
public sealed unsafe class RowHashTable : IDisposable
{
    private const double MaxLoad = 0.7;
    private SlotMemory _memory;
    private Slot* _slots;
    private int _length;
    private int _mask;

    public RowHashTable(int capacity = 1 << 16)
    {
        var size = 16;
        while (size < capacity / MaxLoad)
        {
            size *= 2;
        }

        _memory = SlotMemory.Allocate(size);
        _slots = _memory.Slots;
        _length = size;
        _mask = size - 1;
    }

    public long Count { get; private set; }

    /// <summary>Adds the hash; false (and the first line) when it was already there.</summary>
    public bool TryAdd(UInt128 hash, long line, out long firstLine)
    {
        ObjectDisposedException.ThrowIf(_slots == null, this);
        var (lo, hi) = Split(hash);
        var slot = (int)lo & _mask;
        while (true)
        {
            var entry = _slots + slot;
            if (entry->Lo == 0 && entry->Hi == 0)
            {
                entry->Lo = lo;
                entry->Hi = hi;
                entry->Line = line;
                Count++;
                if (Count > _length * MaxLoad)
                {
                    Grow();
                }

                firstLine = line;
                return true;
            }

            if (entry->Lo == lo && entry->Hi == hi)
            {
                firstLine = entry->Line;
                return false;
            }

            slot = (slot + 1) & _mask;
        }
    }

    /// <summary>
    /// Asks the CPU to start loading the hash's slot: a big table is one cache miss per row, so the
    /// checker prefetches a few rows ahead of the probes.
    /// </summary>
    public void Prefetch(UInt128 hash)
    {
        if (Sse.IsSupported && _slots != null)
        {
            // The next line too: a 24-byte slot may straddle two, and probing runs on into it.
            var slot = (byte*)(_slots + ((int)Split(hash).Lo & _mask));
            Sse.Prefetch0(slot);
            Sse.Prefetch0(slot + 64);
        }
    }

    /// <summary>The line the hash was first seen on, or -1.</summary>
    public long Find(UInt128 hash)
    {
        ObjectDisposedException.ThrowIf(_slots == null, this);
        var (lo, hi) = Split(hash);
        var slot = (int)lo & _mask;
        while (true)
        {
            var entry = _slots + slot;
            if (entry->Lo == 0 && entry->Hi == 0)
            {
                return -1;
            }

            if (entry->Lo == lo && entry->Hi == hi)
            {
                return entry->Line;
            }

            slot = (slot + 1) & _mask;
        }
    }

    public void Dispose()
    {
        _slots = null;
        _memory.Dispose();
    }

    private static (ulong Lo, ulong Hi) Split(UInt128 hash) =>
        hash == UInt128.Zero ? (1UL, 0UL) : ((ulong)hash, (ulong)(hash >> 64));

    private void Grow()
    {
        var old = _memory;
        var oldSlots = _slots;
        var oldLength = _length;
        _memory = SlotMemory.Allocate(checked(oldLength * 2));
        _slots = _memory.Slots;
        _length = oldLength * 2;
        _mask = _length - 1;
        for (var i = 0; i < oldLength; i++)
        {
            var entry = oldSlots[i];
            if (entry.Lo != 0 || entry.Hi != 0)
            {
                var slot = (int)entry.Lo & _mask;
                while (_slots[slot].Lo != 0 || _slots[slot].Hi != 0)
                {
                    slot = (slot + 1) & _mask;
                }

                _slots[slot] = entry;
            }
        }

        old.Dispose();
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Slot
    {
        public ulong Lo;
        public ulong Hi;
        public long Line;
    }

    /// <summary>Zeroed native memory for the slots (calloc: large blocks come lazily zeroed from the kernel).</summary>
    private sealed class SlotMemory : SafeHandle
    {
        private const nuint HugePage = 2 << 20;

        private SlotMemory()
            : base(IntPtr.Zero, ownsHandle: true)
        {
        }

        public override bool IsInvalid => handle == IntPtr.Zero;

        public Slot* Slots => (Slot*)handle;

        public static SlotMemory Allocate(int slots)
        {
            var bytes = (nuint)slots * (nuint)sizeof(Slot);
            var memory = new SlotMemory();
            var pointer = NativeMemory.AllocZeroed(bytes);
            memory.SetHandle((nint)pointer);
            if (OperatingSystem.IsLinux() && bytes >= 2 * HugePage)
            {
                // Only whole huge pages inside the block can be backed by one; a refusal just
                // leaves 4 KiB pages.
                var start = ((nuint)pointer + HugePage - 1) & ~(HugePage - 1);
                var end = ((nuint)pointer + bytes) & ~(HugePage - 1);
                if (end > start)
                {
                    _ = LibC.Madvise((nint)start, end - start, LibC.MadviseHugePage);
                }
            }

            return memory;
        }

        protected override bool ReleaseHandle()
        {
            NativeMemory.Free((void*)handle);
            return true;
        }
    }
}
