using System.Globalization;
using System.Runtime.ExceptionServices;

namespace Repro.Leakage;

/// <summary>
/// A block of consecutive records, normalised and hashed on the reading thread so that the
/// checking thread only counts (<see cref="RowPipeline"/>): per row its line, its bytes as read
/// (for examples and messages), per used column the cell's kind, number and text, and the row and
/// group hashes. An error met while reading travels in the batch after the rows read before it,
/// so it surfaces in file order, as if one thread had done everything.
/// </summary>
internal sealed class RowBatch
{
    public const int Capacity = 4096;

    private readonly ColumnLayout _layout;
    private readonly int[] _usedColumns;
    private readonly RowKey _rowKey = new();
    private readonly RowKey _groupKey = new();
    private readonly int[] _recordStart = new int[Capacity];
    private readonly int[] _recordLength = new int[Capacity];
    private byte[] _text = new byte[Capacity * 64];
    private int _textUsed;
    private byte[] _records = new byte[Capacity * 128];
    private int _recordsUsed;

    public RowBatch(int width, ColumnLayout layout, byte separator)
    {
        Width = width;
        Separator = separator;
        _layout = layout;
        _usedColumns = [.. Enumerable.Range(0, width).Where(c => layout.Used[c])];
        Kinds = new CellKind[Capacity * width];
        Numbers = new double[Capacity * width];
        TextStart = new int[Capacity * width];
        TextLength = new int[Capacity * width];
    }

    /// <summary>Columns per row (the train header's), so cell (row, column) is at <c>row * Width + column</c>.</summary>
    public int Width { get; }

    /// <summary>The separator of the file the rows come from, to split <see cref="Record"/> again.</summary>
    public byte Separator { get; }

    public int Count { get; private set; }

    public bool IsFull => Count == Capacity;

    /// <summary>The end of the file was reached (or an error stopped the reading) after these rows.</summary>
    public bool Last { get; set; }

    /// <summary>What stopped the reading after the rows of this batch, rethrown by the checking thread.</summary>
    public ExceptionDispatchInfo? Error { get; set; }

    public long[] Lines { get; } = new long[Capacity];

    public CellKind[] Kinds { get; }

    public double[] Numbers { get; }

    public int[] TextStart { get; }

    public int[] TextLength { get; }

    /// <summary>The hash of each row's features (when there are any).</summary>
    public UInt128[] RowHashes { get; } = new UInt128[Capacity];

    /// <summary>The hash of each row's group value; <see cref="HasGroup"/> is false when it is missing.</summary>
    public UInt128[] GroupHashes { get; } = new UInt128[Capacity];

    public bool[] HasGroup { get; } = new bool[Capacity];

    /// <summary>The normalised text of a text cell (whitespace collapsed); empty for a number or a missing cell.</summary>
    public ReadOnlySpan<byte> Text(int cell) => _text.AsSpan(TextStart[cell], TextLength[cell]);

    /// <summary>The row's bytes as they were in the file.</summary>
    public ReadOnlySpan<byte> Record(int row) => _records.AsSpan(_recordStart[row], _recordLength[row]);

    /// <summary>The row's raw fields in file order (slow: for examples and messages only).</summary>
    public byte[][] Fields(int row) => CsvRecordReader.SplitRecord(Record(row), Separator);

    public void Clear()
    {
        Count = 0;
        _textUsed = 0;
        _recordsUsed = 0;
        Last = false;
        Error = null;
    }

    /// <summary>Normalises and hashes the reader's current record (test columns through <paramref name="map"/>).</summary>
    public void Add(CsvRecordReader reader, int[] map, string path)
    {
        if (reader.FieldCount != Width)
        {
            throw ReproException.Usage(string.Create(CultureInfo.InvariantCulture, $"{path}: line {reader.LineNumber} has {reader.FieldCount} fields, the header has {Width}"));
        }

        var row = Count;
        Lines[row] = reader.LineNumber;
        var record = reader.RecordBytes;
        if (_recordsUsed + record.Length > _records.Length)
        {
            Array.Resize(ref _records, Math.Max(_records.Length * 2, _recordsUsed + record.Length));
        }

        record.CopyTo(_records.AsSpan(_recordsUsed));
        _recordStart[row] = _recordsUsed;
        _recordLength[row] = record.Length;
        _recordsUsed += record.Length;

        var rowBase = row * Width;
        foreach (var c in _usedColumns)
        {
            var raw = reader.Field(map[c]);
            if (_textUsed + raw.Length > _text.Length)
            {
                Array.Resize(ref _text, Math.Max(_text.Length * 2, _textUsed + raw.Length));
            }

            var cell = rowBase + c;
            Kinds[cell] = CellNormalizer.Normalize(raw, out Numbers[cell], _text.AsSpan(_textUsed), out var length);
            TextStart[cell] = _textUsed;
            TextLength[cell] = length;
            _textUsed += length;
        }

        if (_layout.Hashed.Length > 0)
        {
            _rowKey.Clear();
            foreach (var c in _layout.Hashed)
            {
                _rowKey.Add(Kinds[rowBase + c], Numbers[rowBase + c], Text(rowBase + c));
            }

            RowHashes[row] = _rowKey.Hash();
        }

        // The group value's hash: numbers by value, so "7" and "7.0" are one patient.
        if (_layout.Group >= 0)
        {
            var g = rowBase + _layout.Group;
            HasGroup[row] = Kinds[g] != CellKind.Missing;
            if (HasGroup[row])
            {
                _groupKey.Clear();
                _groupKey.Add(Kinds[g], Numbers[g], Text(g));
                GroupHashes[row] = _groupKey.Hash();
            }
        }

        Count++;
    }
}
