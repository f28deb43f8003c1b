namespace Repro.Leakage;

/// <summary>
/// An open-addressing set of 128-bit row hashes, each with the line it was first seen on: 24
/// bytes per distinct row at most 70% full, so memory grows with the distinct rows and nothing
/// else. Zero marks an empty slot (a real zero hash is stored as one: odds 2^-128).
/// </summary>
public sealed class RowHashTable
{
    private const double MaxLoad = 0.7;
    private UInt128[] _keys;
    private long[] _lines;
    private int _mask;

    public RowHashTable(int capacity = 1 << 16)
    {
        var size = 16;
        while (size < capacity / MaxLoad)
        {
            size *= 2;
        }

        _keys = new UInt128[size];
        _lines = new long[size];
        _mask = size - 1;
    }

    public long Count { get; private set; }

    /// <summary>Adds the hash; false (and the first line) when it was already there.</summary>
    public bool TryAdd(UInt128 hash, long line, out long firstLine)
    {
        if (hash == UInt128.Zero)
        {
            hash = UInt128.One;
        }

        var slot = (int)(ulong)hash & _mask;
        while (true)
        {
            var key = _keys[slot];
            if (key == UInt128.Zero)
            {
                _keys[slot] = hash;
                _lines[slot] = line;
                Count++;
                if (Count > _keys.Length * MaxLoad)
                {
                    Grow();
                }

                firstLine = line;
                return true;
            }

            if (key == hash)
            {
                firstLine = _lines[slot];
                return false;
            }

            slot = (slot + 1) & _mask;
        }
    }

    /// <summary>The line the hash was first seen on, or -1.</summary>
    public long Find(UInt128 hash)
    {
        if (hash == UInt128.Zero)
        {
            hash = UInt128.One;
        }

        var slot = (int)(ulong)hash & _mask;
        while (true)
        {
            var key = _keys[slot];
            if (key == UInt128.Zero)
            {
                return -1;
            }

            if (key == hash)
            {
                return _lines[slot];
            }

            slot = (slot + 1) & _mask;
        }
    }

    private void Grow()
    {
        var keys = _keys;
        var lines = _lines;
        _keys = new UInt128[keys.Length * 2];
        _lines = new long[keys.Length * 2];
        _mask = _keys.Length - 1;
        for (var i = 0; i < keys.Length; i++)
        {
            if (keys[i] != UInt128.Zero)
            {
                var slot = (int)(ulong)keys[i] & _mask;
                while (_keys[slot] != UInt128.Zero)
                {
                    slot = (slot + 1) & _mask;
                }

                _keys[slot] = keys[i];
                _lines[slot] = lines[i];
            }
        }
    }
}
