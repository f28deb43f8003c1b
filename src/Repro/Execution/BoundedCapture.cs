using System.Buffers;

namespace Repro.Execution;

/// <summary>
/// Keeps a copy of a stream up to a cap: the head, plus the last <see cref="TailBytes"/> so the
/// end of a long log (where tracebacks are) survives truncation.
/// </summary>
public sealed class BoundedCapture
{
    public const int TailBytes = 1 << 20;

    private readonly ArrayBufferWriter<byte> _head = new();
    private readonly byte[] _tail;
    private readonly long _headCap;
    private long _tailWritten;

    public BoundedCapture(long capBytes)
    {
        CapBytes = capBytes;
        _headCap = Math.Max(0, capBytes - Math.Min(TailBytes, capBytes / 2));
        _tail = new byte[Math.Min(TailBytes, capBytes / 2)];
    }

    public long CapBytes { get; }

    public long TotalBytes { get; private set; }

    public bool Truncated => TotalBytes > CapBytes;

    public void Write(ReadOnlySpan<byte> data)
    {
        TotalBytes += data.Length;
        var toHead = (int)Math.Min(data.Length, Math.Max(0, _headCap - _head.WrittenCount));
        _head.Write(data[..toHead]);
        foreach (var b in data[toHead..])
        {
            _tail[_tailWritten % _tail.Length] = b;
            _tailWritten++;
        }
    }

    /// <summary>The kept bytes: everything when under the cap, else head + a marker + tail.</summary>
    public byte[] ToArray()
    {
        var head = _head.WrittenSpan.ToArray();
        if (_tailWritten == 0)
        {
            return head;
        }

        var tailLength = (int)Math.Min(_tailWritten, _tail.Length);
        var tail = new byte[tailLength];
        var start = _tailWritten - tailLength;
        for (var i = 0; i < tailLength; i++)
        {
            tail[i] = _tail[(start + i) % _tail.Length];
        }

        if (!Truncated)
        {
            return [.. head, .. tail];
        }

        var marker = System.Text.Encoding.UTF8.GetBytes($"\n[repro: {TotalBytes - head.Length - tail.Length} bytes omitted; cap {CapBytes} bytes]\n");
        return [.. head, .. marker, .. tail];
    }
}
