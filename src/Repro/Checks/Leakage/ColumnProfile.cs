using System.Globalization;
using System.Text;

namespace Repro.Checks.Leakage;

/// <summary>
/// What one feature column has shown in both splits, in bounded memory: a reservoir per split
/// while every value is a number, and per-value counts while it has at most
/// <c>categoryCap</c> distinct values. Which of them a statistic uses is decided at the end.
/// </summary>
internal sealed class ColumnProfile
{
    private readonly int _categoryCap;
    private readonly bool[] _counted;

    /// <param name="counted">Per column, whether its cells still need their hash; this profile clears its own once it stops counting values.</param>
    public ColumnProfile(string name, int index, int sampleSize, int categoryCap, ulong seed, bool[] counted)
    {
        _counted = counted;
        Name = name;
        Index = index;
        _categoryCap = categoryCap;
        Train = new ReservoirSample(sampleSize, seed);
        Test = new ReservoirSample(sampleSize, seed ^ 0xA5A5A5A5A5A5A5A5UL);
    }

    public string Name { get; }

    public int Index { get; }

    /// <summary>Every non-missing value so far was a number.</summary>
    public bool Numeric { get; private set; } = true;

    public long TrainPresent { get; private set; }

    public long TestPresent { get; private set; }

    public ReservoirSample Train { get; private set; }

    public ReservoirSample Test { get; private set; }

    /// <summary>Per-value counts, or null once there were more than the cap of distinct values.</summary>
    public CategoryTable? Categories { get; private set; } = new();

    /// <summary>Counts one cell; <paramref name="key"/> is its <see cref="RowKey.CellHash"/>, computed by the normalising worker.</summary>
    public void Add(bool train, CellKind kind, double number, ReadOnlySpan<byte> text, ulong key, int classIndex)
    {
        if (kind == CellKind.Missing)
        {
            return;
        }

        if (train)
        {
            TrainPresent++;
        }
        else
        {
            TestPresent++;
        }

        if (kind == CellKind.Number)
        {
            if (Numeric)
            {
                (train ? Train : Test).Add(number, (sbyte)Math.Min(classIndex, 100));
            }
        }
        else if (Numeric)
        {
            Numeric = false;
            Train = new ReservoirSample(0, 0);
            Test = new ReservoirSample(0, 0);
        }

        if (Categories is null)
        {
            return;
        }

        var category = Categories.Find(key);
        if (category is null)
        {
            if (Categories.Count >= _categoryCap)
            {
                Categories = null;
                Volatile.Write(ref _counted[Index], false);
                return;
            }

            category = new Category(kind == CellKind.Text ? Encoding.UTF8.GetString(text) : number.ToString("R", CultureInfo.InvariantCulture));
            Categories.Add(key, category);
        }

        if (train)
        {
            category.Train++;
            if (classIndex >= 0)
            {
                category.CountClass(classIndex);
            }
        }
        else
        {
            category.Test++;
        }
    }
}
