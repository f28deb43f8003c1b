using System.Globalization;
using System.Runtime.ExceptionServices;

namespace Repro.Checks.Leakage;

/// <summary>
/// A block of consecutive records on their way through <see cref="RowPipeline"/>: the reading
/// thread only captures them (<see cref="Capture"/>: line, bytes as read, the raw bytes of each
/// used cell), a normalising worker then fills in each cell's kind, number, text and hash, the
/// row and group hashes and the parsed time (<see cref="Normalize"/>), and the checking thread
/// counts them in file order. An error met while reading travels in the batch after the rows read
/// before it, so it surfaces in file order, as if one thread had done everything.
/// </summary>
internal sealed class RowBatch : IDisposable
{
    public const int Capacity = 4096;

    private readonly ColumnLayout _layout;
    private readonly bool[] _counted;
    private readonly int[] _usedColumns;
    private readonly RowKey _rowKey = new();
    private readonly RowKey _groupKey = new();
    private readonly int[] _recordStart = new int[Capacity];
    private readonly int[] _recordLength = new int[Capacity];
    private readonly int[] _rawStart;
    private readonly int[] _rawLength;
    private byte[] _text = new byte[Capacity * 64];
    private int _textUsed;
    private byte[] _records = new byte[Capacity * 128];
    private int _recordsUsed;

    /// <param name="counted">Per column, whether its cells need <see cref="CellHashes"/> (see <see cref="PassState.Counted"/>).</param>
    public RowBatch(int width, ColumnLayout layout, byte separator, bool[] counted)
    {
        _counted = counted;
        Width = width;
        Separator = separator;
        _layout = layout;
        _usedColumns = [.. Enumerable.Range(0, width).Where(c => layout.Used[c])];
        Kinds = new CellKind[Capacity * width];
        Numbers = new double[Capacity * width];
        CellHashes = new ulong[Capacity * width];
        TextStart = new int[Capacity * width];
        TextLength = new int[Capacity * width];
        _rawStart = new int[Capacity * width];
        _rawLength = new int[Capacity * width];
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

    /// <summary>Released twice by the normalising worker once every row is normalised and hashed: once for each of the two threads that count.</summary>
    public SemaphoreSlim Normalized { get; } = new(0, 2);

    /// <summary>How many of the two counting threads still hold the batch; the last to let go recycles it.</summary>
#pragma warning disable SA1401 // a field, for Interlocked.Decrement
    public int Holders;
#pragma warning restore SA1401

    /// <summary>What went wrong while normalising (a bug, never the data), rethrown by the checking thread.</summary>
    public ExceptionDispatchInfo? Failure { get; set; }

    public long[] Lines { get; } = new long[Capacity];

    public CellKind[] Kinds { get; }

    public double[] Numbers { get; }

    /// <summary>Each normalised cell's 64-bit hash (<see cref="RowKey.CellHash"/>), for the per-value counts.</summary>
    public ulong[] CellHashes { get; }

    public int[] TextStart { get; }

    public int[] TextLength { get; }

    /// <summary>The hash of each row's features (when there are any).</summary>
    public UInt128[] RowHashes { get; } = new UInt128[Capacity];

    /// <summary>The hash of each row's group value; <see cref="HasGroup"/> is false when it is missing.</summary>
    public UInt128[] GroupHashes { get; } = new UInt128[Capacity];

    public bool[] HasGroup { get; } = new bool[Capacity];

    /// <summary>The parsed <c>--time</c> cell of each row, when <see cref="TimeParsed"/> says it parsed.</summary>
    public TimeValue[] Times { get; } = new TimeValue[Capacity];

    /// <summary>False when the row's <c>--time</c> cell is present but neither a date/time nor a number.</summary>
    public bool[] TimeParsed { get; } = new bool[Capacity];

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
        Failure = null;
    }

    public void Dispose() => Normalized.Dispose();

    /// <summary>
    /// Takes the reader's current record: its line and bytes, and where the raw bytes of each used
    /// cell are (test columns through <paramref name="map"/>): inside the record's copy, or for a
    /// quoted cell its unquoted bytes appended after it.
    /// </summary>
    public void Capture(CsvRecordReader reader, int[] map, string path)
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

        var recordStart = _recordsUsed;
        _recordsUsed += record.Length;
        var rowBase = row * Width;
        foreach (var c in _usedColumns)
        {
            var field = map[c];
            var offset = reader.FieldOffsetInRecord(field);
            if (offset >= 0)
            {
                _rawStart[rowBase + c] = recordStart + offset;
                _rawLength[rowBase + c] = reader.FieldLength(field);
                continue;
            }

            var raw = reader.Field(field);
            if (_recordsUsed + raw.Length > _records.Length)
            {
                Array.Resize(ref _records, Math.Max(_records.Length * 2, _recordsUsed + raw.Length));
            }

            raw.CopyTo(_records.AsSpan(_recordsUsed));
            _rawStart[rowBase + c] = _recordsUsed;
            _rawLength[rowBase + c] = raw.Length;
            _recordsUsed += raw.Length;
        }

        Count++;
    }

    /// <summary>Normalises and hashes every captured row (on a worker: touches nothing but this batch).</summary>
    public void Normalize()
    {
        // Normalised text is never longer than the raw cells, all of them inside _records, so
        // one size check covers the batch.
        if (_text.Length < _recordsUsed)
        {
            _text = new byte[Math.Max(_text.Length * 2, _recordsUsed)];
        }

        var width = Width;
        for (var row = 0; row < Count; row++)
        {
            var rowBase = row * width;
            foreach (var c in _usedColumns)
            {
                var cell = rowBase + c;
                var kind = CellNormalizer.Normalize(_records.AsSpan(_rawStart[cell], _rawLength[cell]), out Numbers[cell], _text.AsSpan(_textUsed), out var length);
                Kinds[cell] = kind;
                TextStart[cell] = _textUsed;
                TextLength[cell] = length;
                _textUsed += length;
                CellHashes[cell] = Volatile.Read(ref _counted[c]) ? RowKey.CellHash(kind, Numbers[cell], _text.AsSpan(TextStart[cell], length)) : 0;
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

            if (_layout.Time >= 0)
            {
                var t = rowBase + _layout.Time;
                TimeParsed[row] = TimeValue.TryParse(Kinds[t], Numbers[t], Text(t), out Times[row]);
            }
        }
    }
}
