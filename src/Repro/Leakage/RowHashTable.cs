using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Repro.Leakage;

/// <summary>
/// An open-addressing set of 128-bit row hashes, each with the line it was first seen on: one
/// 24-byte slot per entry (hash and line side by side, so a probe costs one cache miss), at most
/// 70% full — memory grows with the distinct rows and nothing else. Zero marks an empty slot (a
/// real zero hash is stored as one: odds 2^-128).
/// </summary>
public sealed class RowHashTable
{
    private const double MaxLoad = 0.7;
    private Slot[] _slots;
    private int _mask;

    public RowHashTable(int capacity = 1 << 16)
    {
        var size = 16;
        while (size < capacity / MaxLoad)
        {
            size *= 2;
        }

        _slots = new Slot[size];
        _mask = size - 1;
    }

    public long Count { get; private set; }

    /// <summary>Adds the hash; false (and the first line) when it was already there.</summary>
    public bool TryAdd(UInt128 hash, long line, out long firstLine)
    {
        var (lo, hi) = Split(hash);
        var slot = (int)lo & _mask;
        while (true)
        {
            ref var entry = ref _slots[slot];
            if (entry.Lo == 0 && entry.Hi == 0)
            {
                entry.Lo = lo;
                entry.Hi = hi;
                entry.Line = line;
                Count++;
                if (Count > _slots.Length * MaxLoad)
                {
                    Grow();
                }

                firstLine = line;
                return true;
            }

            if (entry.Lo == lo && entry.Hi == hi)
            {
                firstLine = entry.Line;
                return false;
            }

            slot = (slot + 1) & _mask;
        }
    }

    /// <summary>
    /// Asks the CPU to start loading the hash's slot: a big table is one cache miss per row, so the
    /// checker prefetches as soon as it knows the hash and probes after the row's other work.
    /// </summary>
    public unsafe void Prefetch(UInt128 hash)
    {
        if (Sse.IsSupported)
        {
            fixed (Slot* slot = &_slots[(int)Split(hash).Lo & _mask])
            {
                Sse.Prefetch0(slot);
            }
        }
    }

    /// <summary>The line the hash was first seen on, or -1.</summary>
    public long Find(UInt128 hash)
    {
        var (lo, hi) = Split(hash);
        var slot = (int)lo & _mask;
        while (true)
        {
            ref var entry = ref _slots[slot];
            if (entry.Lo == 0 && entry.Hi == 0)
            {
                return -1;
            }

            if (entry.Lo == lo && entry.Hi == hi)
            {
                return entry.Line;
            }

            slot = (slot + 1) & _mask;
        }
    }

    private static (ulong Lo, ulong Hi) Split(UInt128 hash) =>
        hash == UInt128.Zero ? (1UL, 0UL) : ((ulong)hash, (ulong)(hash >> 64));

    private void Grow()
    {
        var old = _slots;
        _slots = new Slot[old.Length * 2];
        _mask = _slots.Length - 1;
        foreach (var entry in old)
        {
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
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Slot
    {
        public ulong Lo;
        public ulong Hi;
        public long Line;
    }
}
