using System.Text;
using Repro.Judging.Comparison;
using Repro.Model.Verdicts;

namespace Repro.Tests.Comparison;

/// <summary>
/// Memory held while comparing printed text. The collection runs alone, after every parallel
/// test, so the managed heap it samples holds only what the comparer keeps.
/// </summary>
[Collection(MeasuresMemory.Name)]
public sealed class PrintedTextMemoryTests
{
    [Fact]
    public async Task Megabytes_of_printed_text_are_compared_in_bounded_memory()
    {
        // Two texts of 300,000 lines (about 13 MB each) that differ on every line (a masked
        // duration and a number inside tolerance): generated as they are read, so anything held
        // comes from the comparer.
        const long lines = 300_000;
        var comparer = new PrintedTextComparer(TextMasks.BuiltIn, Tolerance.Default);
        var original = new GeneratedText(lines, i => $"step {i} loss {0.5 + (i * 1e-9):R} took 0.{i % 97:00}s\n");
        var reproduced = new GeneratedText(lines, i => $"step {i} loss {0.5 + (i * 1e-9) + 1e-13:R} took 0.{(i + 13) % 97:00}s\n");
        var before = GC.GetTotalMemory(true);
        var result = await comparer.CompareAsync(original, reproduced, CancellationToken.None);
        Assert.True(result.Verdict == Verdict.Equivalent, result.Detail);
        Assert.Equal(lines, result.OriginalLines);
        Assert.Equal(lines, result.WithinToleranceLines);
        var held = Math.Max(original.PeakRetainedBytes, reproduced.PeakRetainedBytes) - before;
        Assert.True(held < 32L << 20, $"held {held / (1 << 20)} MiB while comparing {(original.Position + reproduced.Position) / (1 << 20)} MiB");
    }

    /// <summary>
    /// A read-only stream of generated lines that, every 50,000 lines, collects garbage and
    /// samples what the heap still holds.
    /// </summary>
    private sealed class GeneratedText(long lines, Func<long, string> line) : Stream
    {
        private byte[] _pending = [];
        private int _offset;
        private long _line;
        private long _position;

        public long PeakRetainedBytes { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_offset == _pending.Length)
            {
                if (_line >= lines)
                {
                    return 0;
                }

                if (_line % 50_000 == 0)
                {
                    PeakRetainedBytes = Math.Max(PeakRetainedBytes, GC.GetTotalMemory(true));
                }

                _pending = Encoding.UTF8.GetBytes(line(_line++));
                _offset = 0;
            }

            var n = Math.Min(count, _pending.Length - _offset);
            Array.Copy(_pending, _offset, buffer, offset, n);
            _offset += n;
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
