namespace Repro.Checks.Leakage;

/// <summary>
/// The distinct values of one column by their 64-bit cell hash, in the order they were first
/// seen (the statistics sum over them in that order, so the figures do not depend on hashing).
/// An open-addressing index over a list: a lookup per cell is one probe into two small arrays,
/// several times cheaper than a dictionary of objects on the checking thread's hot path.
/// </summary>
internal sealed class CategoryTable
{
    private readonly List<Category> _values = [];
    private ulong[] _keys = new ulong[64];
    private int[] _slots = new int[64]; // index into _values + 1; 0 = empty

    public int Count => _values.Count;

    /// <summary>The values in the order they were first added.</summary>
    public IReadOnlyList<Category> Values => _values;

    public Category? Find(ulong key)
    {
        var mask = _keys.Length - 1;
        var slot = (int)key & mask;
        while (true)
        {
            var index = _slots[slot];
            if (index == 0)
            {
                return null;
            }

            if (_keys[slot] == key)
            {
                return _values[index - 1];
            }

            slot = (slot + 1) & mask;
        }
    }

    /// <summary>Adds a value not yet in the table.</summary>
    public void Add(ulong key, Category category)
    {
        _values.Add(category);
        if (_values.Count * 2 > _keys.Length)
        {
            Rebuild(_keys.Length * 2);
        }

        Place(key, _values.Count);
    }

    private void Place(ulong key, int index)
    {
        var mask = _keys.Length - 1;
        var slot = (int)key & mask;
        while (_slots[slot] != 0)
        {
            slot = (slot + 1) & mask;
        }

        _keys[slot] = key;
        _slots[slot] = index;
    }

    private void Rebuild(int size)
    {
        var oldKeys = _keys;
        var oldSlots = _slots;
        _keys = new ulong[size];
        _slots = new int[size];
        for (var i = 0; i < oldSlots.Length; i++)
        {
            if (oldSlots[i] != 0)
            {
                Place(oldKeys[i], oldSlots[i]);
            }
        }
    }
}
