using System.Buffers;
using System.Globalization;
using System.Text;
using Repro.Model.Serialization;

namespace Repro.Checks.Leakage;

/// <summary>
/// Streams an RFC 4180 file record by record over UTF-8 bytes (quoted fields, doubled quotes,
/// newlines inside quotes, LF, CRLF or CR line ends), so files larger than memory can be read.
/// Fields are exposed as spans that stay valid until the next <see cref="ReadAsync"/>; blank
/// lines are skipped. Malformed input is a <see cref="ReproException"/> naming the line.
/// (CsvMetrics.Split, which CsvComparer uses, splits one text line at a time — no newlines inside
/// quotes — and allocates a string per field: too slow for gigabytes; both can move onto this one.)
/// </summary>
public sealed class CsvRecordReader : IAsyncDisposable, IDisposable
{
    private const int InitialBuffer = 1 << 20;

    private readonly Stream _stream;
    private readonly byte _separator;
    private readonly string _name;
    private readonly SearchValues<byte> _unquotedStops;
    private readonly InputLimit _maxRecord = CsvLimits.MaxLineChars;
    private readonly InputLimit _maxColumns = CsvLimits.MaxColumns;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;
    private bool _started;
    private long _nextLine = 1;
    private byte[] _quoted = new byte[1024];
    private int _quotedLength;
    private int[] _fieldStart = new int[64];
    private int[] _fieldLength = new int[64];
    private bool[] _fieldQuoted = new bool[64];
    private int _recordStart;
    private int _recordLength;

    public CsvRecordReader(Stream stream, byte separator, string name)
        : this(stream, separator, name, InitialBuffer)
    {
    }

    /// <summary>With a chosen first buffer size: tests use a tiny one to cross every boundary.</summary>
    internal CsvRecordReader(Stream stream, byte separator, string name, int bufferSize)
    {
        _buffer = new byte[bufferSize];
        _stream = stream;
        _separator = separator;
        _name = name;
        _unquotedStops = SearchValues.Create([separator, (byte)'\n', (byte)'\r']);
    }

    /// <summary>Fields in the current record.</summary>
    public int FieldCount { get; private set; }

    /// <summary>1-based line on which the current record starts.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Bytes consumed so far (for progress and throughput).</summary>
    public long BytesRead { get; private set; }

    public ReadOnlySpan<byte> Field(int index) =>
        _fieldQuoted[index] ? _quoted.AsSpan(_fieldStart[index], _fieldLength[index]) : _buffer.AsSpan(_fieldStart[index], _fieldLength[index]);

    /// <summary>Where an unquoted field's bytes start inside <see cref="RecordBytes"/> (they are exactly its bytes there); -1 for a quoted field.</summary>
    public int FieldOffsetInRecord(int index) => _fieldQuoted[index] ? -1 : _fieldStart[index] - _recordStart;

    public int FieldLength(int index) => _fieldLength[index];

    public string FieldText(int index) => Encoding.UTF8.GetString(Field(index));

    /// <summary>The current record's bytes as they are in the file (line end included): <see cref="SplitRecord"/> reads its fields again.</summary>
    public ReadOnlySpan<byte> RecordBytes => _buffer.AsSpan(_recordStart, _recordLength);

    /// <summary>The raw fields of one record taken from <see cref="RecordBytes"/>, parsed exactly as the reader parsed it.</summary>
    public static byte[][] SplitRecord(ReadOnlySpan<byte> record, byte separator)
    {
        var reader = new CsvRecordReader(Stream.Null, separator, string.Empty, Math.Max(record.Length, 1));
        record.CopyTo(reader._buffer);
        reader.TryParse(reader._buffer.AsSpan(0, record.Length), 0, atEof: true, out _);
        var fields = new byte[reader.FieldCount][];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = reader.Field(i).ToArray();
        }

        return fields;
    }

    /// <summary>Moves to the next non-blank record; false at the end of the file.</summary>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_start < _end || _eof)
            {
                if (_start >= _end)
                {
                    return false;
                }

                var consumed = TryParse(_buffer.AsSpan(_start, _end - _start), _start, _eof, out var newlines);
                if (consumed > 0)
                {
                    _recordStart = _start;
                    _recordLength = consumed;
                    _start += consumed;
                    LineNumber = _nextLine;
                    _nextLine += newlines;
                    if (FieldCount == 1 && !_fieldQuoted[0] && _fieldLength[0] == 0)
                    {
                        continue; // a blank line
                    }

                    return true;
                }
            }

            await FillAsync(cancellationToken);
        }
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();

    public void Dispose() => _stream.Dispose();

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= _maxRecord.Value)
            {
                throw new InputLimitException(_name, string.Create(CultureInfo.InvariantCulture, $"line {_nextLine} starts a record longer than {_maxRecord.Value} bytes (is a quote not closed?)"), _maxRecord);
            }

            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        if (!_started)
        {
            _started = true;
            if (read >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
            {
                _start = 3; // UTF-8 byte-order mark
            }
        }

        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
        BytesRead += read;
    }

    // Parses one record from the start of data; returns the bytes it used, or 0 when more data
    // is needed. Nothing is mutated in the raw buffer, so a retry after a refill starts afresh.
    private int TryParse(ReadOnlySpan<byte> data, int offset, bool atEof, out int newlines)
    {
        newlines = 0;
        _quotedLength = 0;
        var fields = 0;
        var pos = 0;
        while (true)
        {
            if (fields == _fieldStart.Length)
            {
                if (fields >= _maxColumns.Value)
                {
                    throw new InputLimitException(_name, string.Create(CultureInfo.InvariantCulture, $"line {_nextLine} has more than {_maxColumns.Value} fields"), _maxColumns);
                }

                Array.Resize(ref _fieldStart, fields * 2);
                Array.Resize(ref _fieldLength, fields * 2);
                Array.Resize(ref _fieldQuoted, fields * 2);
            }

            if (pos < data.Length && data[pos] == (byte)'"')
            {
                pos++;
                var fieldStart = _quotedLength;
                while (true)
                {
                    var close = data[pos..].IndexOf((byte)'"');
                    if (close < 0)
                    {
                        if (atEof)
                        {
                            throw ReproException.Usage(string.Create(CultureInfo.InvariantCulture, $"{_name}: line {_nextLine}: a quoted field is not closed before the end of the file"));
                        }

                        return 0;
                    }

                    var chunk = data.Slice(pos, close);
                    AppendQuoted(chunk);
                    newlines += chunk.Count((byte)'\n');
                    pos += close + 1;
                    if (pos == data.Length && !atEof)
                    {
                        return 0; // cannot tell a closing quote from the first of a doubled one yet
                    }

                    if (pos < data.Length && data[pos] == (byte)'"')
                    {
                        AppendQuoted("\""u8);
                        pos++;
                        continue;
                    }

                    break;
                }

                // Text after the closing quote (lenient, like Python's csv) belongs to the field.
                var rest = data[pos..].IndexOfAny(_unquotedStops);
                if (rest < 0)
                {
                    if (!atEof)
                    {
                        return 0;
                    }

                    rest = data.Length - pos;
                }

                AppendQuoted(data.Slice(pos, rest));
                pos += rest;
                _fieldStart[fields] = fieldStart;
                _fieldLength[fields] = _quotedLength - fieldStart;
                _fieldQuoted[fields] = true;
            }
            else
            {
                var stop = data[pos..].IndexOfAny(_unquotedStops);
                if (stop < 0)
                {
                    if (!atEof)
                    {
                        return 0;
                    }

                    stop = data.Length - pos;
                }

                _fieldStart[fields] = offset + pos;
                _fieldLength[fields] = stop;
                _fieldQuoted[fields] = false;
                pos += stop;
            }

            fields++;
            if (pos == data.Length)
            {
                FieldCount = fields; // the last record, without a line end
                return pos;
            }

            var terminator = data[pos];
            if (terminator == _separator)
            {
                pos++;
                continue;
            }

            if (terminator == (byte)'\r')
            {
                if (pos + 1 == data.Length && !atEof)
                {
                    return 0;
                }

                pos++;
                if (pos < data.Length && data[pos] == (byte)'\n')
                {
                    pos++;
                }
            }
            else
            {
                pos++;
            }

            newlines++;
            FieldCount = fields;
            return pos;
        }
    }

    private void AppendQuoted(ReadOnlySpan<byte> bytes)
    {
        if (_quotedLength + bytes.Length > _quoted.Length)
        {
            Array.Resize(ref _quoted, Math.Max(_quoted.Length * 2, _quotedLength + bytes.Length));
        }

        bytes.CopyTo(_quoted.AsSpan(_quotedLength));
        _quotedLength += bytes.Length;
    }
}
