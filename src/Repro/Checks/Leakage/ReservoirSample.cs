namespace Repro.Checks.Leakage;

/// <summary>
/// Keeps every value of a numeric column up to <c>capacity</c>, then a uniform random sample of
/// that size (Vitter's algorithm R with a seeded <see cref="SplitMix64"/>), each value with the
/// target class of its row. <see cref="Exact"/> says which of the two a statistic was computed on.
/// </summary>
public sealed class ReservoirSample
{
    private readonly int _capacity;
    private readonly SplitMix64 _random;
    private double[] _values = new double[16];
    private sbyte[] _labels = new sbyte[16];
    private int _count;

    public ReservoirSample(int capacity, ulong seed)
    {
        _capacity = capacity;
        _random = new SplitMix64(seed);
    }

    /// <summary>Values offered so far.</summary>
    public long Seen { get; private set; }

    /// <summary>True while every offered value is kept.</summary>
    public bool Exact => Seen <= _capacity;

    public int Count => _count;

    public void Add(double value, sbyte label)
    {
        Seen++;
        if (_count < _capacity)
        {
            if (_count == _values.Length)
            {
                var size = (int)Math.Min((long)_values.Length * 2, _capacity);
                Array.Resize(ref _values, size);
                Array.Resize(ref _labels, size);
            }

            _values[_count] = value;
            _labels[_count] = label;
            _count++;
            return;
        }

        var j = _random.NextBelow(Seen);
        if (j < _capacity)
        {
            _values[j] = value;
            _labels[j] = label;
        }
    }

    public double[] Values() => _values.AsSpan(0, _count).ToArray();

    public ReadOnlySpan<sbyte> Labels => _labels.AsSpan(0, _count);

    public ReadOnlySpan<double> ValueSpan => _values.AsSpan(0, _count);
}
