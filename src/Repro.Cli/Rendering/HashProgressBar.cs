using System.Globalization;
using Repro.Blobs.Hashing;

namespace Repro.Cli.Rendering;

/// <summary>
/// A one-line progress bar on stderr for hashing that takes more than half a second: files,
/// bytes and rate. Prints nothing when stderr is not a terminal.
/// </summary>
public sealed class HashProgressBar : IProgress<HashProgress>, IDisposable
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly TextWriter _writer;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly Lock _lock = new();
    private long _lastDraw;
    private bool _drawn;

    public HashProgressBar(TextWriter writer, TimeProvider time)
    {
        _writer = writer;
        _time = time;
        _started = time.GetTimestamp();
    }

    /// <summary>A bar on the context's stderr when it is a terminal, else none.</summary>
    public static IProgress<HashProgress>? ForTerminal(CliContext context) =>
        context.ErrorIsTerminal ? new HashProgressBar(context.Error, context.Time) : null;

    public void Report(HashProgress value)
    {
        var now = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(_started, now);
        if (elapsed < Delay)
        {
            return;
        }

        lock (_lock)
        {
            if (_drawn && _time.GetElapsedTime(_lastDraw, now) < Interval && value.BytesDone < value.BytesTotal)
            {
                return;
            }

            _lastDraw = now;
            _drawn = true;
            var fraction = value.BytesTotal > 0 ? (double)value.BytesDone / value.BytesTotal : 1;
            var width = 24;
            var filled = (int)Math.Round(fraction * width);
            var rate = value.BytesDone / Math.Max(elapsed.TotalSeconds, 1e-3);
            var label = value.Label.Length > 28 ? "…" + value.Label[^27..] : value.Label;
            _writer.Write(string.Create(CultureInfo.InvariantCulture, $"\r  hashing {label} [{new string('#', filled)}{new string('.', width - filled)}] {value.FilesDone}/{value.FilesTotal} files {Format.Bytes(value.BytesDone)}/{Format.Bytes(value.BytesTotal)} {Format.Bytes((long)rate)}/s   "));
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_drawn)
            {
                _writer.Write("\r" + new string(' ', 110) + "\r");
            }
        }
    }
}
