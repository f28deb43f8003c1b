using System.Text;

namespace Repro.Judging.Comparison;

/// <summary>
/// Reads printed text as a terminal shows it, in bounded memory: lines end at '\n'; a '\r' inside
/// a line overwrites what came before it (a progress bar's updates leave only the last); a line
/// longer than <see cref="MaxLineChars"/> comes in pieces of that size.
/// </summary>
public sealed class PrintedLineReader : IDisposable
{
    public const int MaxLineChars = 1 << 20;

    private readonly StreamReader _reader;
    private readonly char[] _buffer = new char[1 << 16];
    private readonly StringBuilder _line = new();
    private int _start;
    private int _end;
    private bool _eof;

    public PrintedLineReader(Stream stream) =>
        _reader = new StreamReader(stream, new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16, leaveOpen: true);

    /// <summary>Lines read so far.</summary>
    public long Lines { get; private set; }

    /// <summary>Whether any line had text overwritten by a carriage return.</summary>
    public bool Overwrote { get; private set; }

    public async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        _line.Clear();
        while (true)
        {
            if (_start == _end)
            {
                if (_eof)
                {
                    return _line.Length == 0 ? null : Finish();
                }

                _end = await _reader.ReadAsync(_buffer.AsMemory(), cancellationToken);
                _start = 0;
                if (_end == 0)
                {
                    _eof = true;
                    continue;
                }
            }

            var span = _buffer.AsSpan(_start, _end - _start);
            var room = MaxLineChars - _line.Length;
            var newline = span[..Math.Min(span.Length, room)].IndexOf('\n');
            if (newline >= 0)
            {
                _line.Append(span[..newline]);
                _start += newline + 1;
                return Finish();
            }

            var take = Math.Min(span.Length, room);
            _line.Append(span[..take]);
            _start += take;
            if (_line.Length >= MaxLineChars)
            {
                return Finish();
            }
        }
    }

    public void Dispose() => _reader.Dispose();

    private string Finish()
    {
        Lines++;
        var length = _line.Length;
        if (length > 0 && _line[length - 1] == '\r')
        {
            length--;
        }

        var text = _line.ToString(0, length);
        var overwrite = text.LastIndexOf('\r');
        if (overwrite >= 0)
        {
            Overwrote = true;
            text = text[(overwrite + 1)..];
        }

        return text;
    }
}
