using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace Repro.Leakage;

/// <summary>
/// Streams one file through the checks on two threads: a reading thread tokenises, normalises and
/// hashes records into <see cref="RowBatch"/>es a few batches ahead, while the calling thread
/// counts them in file order. A handful of batches are recycled, so the memory this adds is a
/// few megabytes whatever the file's size.
/// </summary>
internal static class RowPipeline
{
    private const int Batches = 4;

    /// <summary>Reads every record after the header and hands each batch to <paramref name="consume"/>; returns the rows read.</summary>
    public static async Task<long> RunAsync(CsvRecordReader reader, int[] map, ColumnLayout layout, string path, byte separator, Action<RowBatch> consume, CancellationToken cancellationToken)
    {
        // Both channels hold at most the batches there are, so no write ever waits.
        var free = Channel.CreateUnbounded<RowBatch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var full = Channel.CreateUnbounded<RowBatch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        for (var i = 0; i < Batches; i++)
        {
            free.Writer.TryWrite(new RowBatch(map.Length, layout, separator));
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(() => ProduceAsync(reader, map, path, free.Reader, full.Writer, stop.Token), CancellationToken.None);
        long rows = 0;
        var finished = false;
        try
        {
            while (!finished && await full.Reader.WaitToReadAsync(cancellationToken))
            {
                while (full.Reader.TryRead(out var batch))
                {
                    if (batch.Count > 0)
                    {
                        consume(batch);
                        rows += batch.Count;
                    }

                    batch.Error?.Throw();
                    finished |= batch.Last;
                    free.Writer.TryWrite(batch);
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await producer;
            }
            catch (OperationCanceledException)
            {
                // It stopped because the checks stopped first.
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return finished ? rows : throw new InvalidOperationException($"the reader of {path} stopped before the end of the file");
    }

    private static async Task ProduceAsync(CsvRecordReader reader, int[] map, string path, ChannelReader<RowBatch> free, ChannelWriter<RowBatch> full, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var batch = await free.ReadAsync(cancellationToken);
                batch.Clear();
                try
                {
                    while (!batch.IsFull)
                    {
                        if (!await reader.ReadAsync(cancellationToken))
                        {
                            batch.Last = true;
                            break;
                        }

                        batch.Add(reader, map, path);
                    }
                }
                catch (Exception ex)
                {
                    batch.Error = ExceptionDispatchInfo.Capture(ex);
                    batch.Last = true;
                }

                full.TryWrite(batch);
                if (batch.Last)
                {
                    return;
                }
            }
        }
        finally
        {
            full.TryComplete();
        }
    }
}
