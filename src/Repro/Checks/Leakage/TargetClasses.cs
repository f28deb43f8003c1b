using System.Globalization;
using System.Text;

namespace Repro.Checks.Leakage;

/// <summary>The distinct values of the target column in train, each with a small index; more than the cap means "not categorical".</summary>
internal sealed class TargetClasses(int cap)
{
    private readonly Dictionary<ulong, int> _index = [];
    private readonly List<string> _names = [];
    private readonly List<double?> _numbers = [];

    public bool Overflowed { get; private set; }

    public int Count => _names.Count;

    public IReadOnlyList<string> Names => _names;

    /// <summary>The class index of a train cell, -1 when it is missing or the classes overflowed.</summary>
    /// <remarks><paramref name="key"/> is the cell's <see cref="RowKey.CellHash"/>, computed by the normalising worker.</remarks>
    public int Classify(CellKind kind, double number, ReadOnlySpan<byte> text, ulong key)
    {
        if (kind == CellKind.Missing || Overflowed)
        {
            return -1;
        }

        if (_index.TryGetValue(key, out var index))
        {
            return index;
        }

        if (_names.Count >= cap)
        {
            Overflowed = true;
            return -1;
        }

        index = _names.Count;
        _index.Add(key, index);
        _names.Add(kind == CellKind.Number ? number.ToString("R", CultureInfo.InvariantCulture) : Encoding.UTF8.GetString(text));
        _numbers.Add(kind == CellKind.Number ? number : null);
        return index;
    }

    /// <summary>With two classes, the "positive" one: the larger number, else the later text in ordinal order.</summary>
    public int PositiveOfTwo()
    {
        if (_numbers[0] is { } a && _numbers[1] is { } b)
        {
            return b > a ? 1 : 0;
        }

        return string.CompareOrdinal(_names[1], _names[0]) > 0 ? 1 : 0;
    }
}
