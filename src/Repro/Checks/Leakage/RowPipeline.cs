using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Repro.Platform.Diagnostics;

namespace Repro.Checks.Leakage;

/// <summary>
/// Streams one file through the checks on several threads: a reading thread tokenises records
/// into <see cref="RowBatch"/>es, normalising workers (one per core, up to four) turn the cells
/// of whole batches into numbers, texts and hashes side by side, and two threads count every
/// batch strictly in file order — the calling thread the row, group and time checks
/// (<c>check</c>), another the per-feature profiles (<c>profile</c>), which share no state. The
/// normalising needs nothing but its own batch, so it is what spreads over the cores. A fixed
/// set of batches is recycled, so the memory this adds is a few megabytes whatever the file's size.
/// </summary>
internal static class RowPipeline
{
    /// <summary>Workers normalising batches: one per core, at least one, at most four.</summary>
    public static int DefaultWorkers => Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>
    /// Reads every record after the header and hands each batch, in file order, to
    /// <paramref name="check"/> (on the calling thread) and to <paramref name="profile"/> (on a
    /// thread of its own); returns the rows read.
    /// </summary>
    public static async Task<long> RunAsync(CsvRecordReader reader, int[] map, ColumnLayout layout, string path, byte separator, bool[] counted, Action<RowBatch> check, Action<RowBatch> profile, int workers, CancellationToken cancellationToken)
    {
        // Every channel holds at most the batches there are, so no write ever waits; two batches
        // a worker keep every worker busy while each counting thread holds one and the reader fills one.
        var count = (2 * workers) + 3;
        var free = Channel.CreateUnbounded<RowBatch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
        var profiling = Channel.CreateUnbounded<RowBatch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var work = Channel.CreateUnbounded<RowBatch>(new UnboundedChannelOptions { SingleReader = workers == 1, SingleWriter = true });
        var ordered = Channel.CreateUnbounded<RowBatch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var batches = new RowBatch[count];
        for (var i = 0; i < count; i++)
        {
            batches[i] = new RowBatch(map.Length, layout, separator, counted);
            free.Writer.TryWrite(batches[i]);
        }

        var timings = new StageTimings();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(() => ProduceAsync(reader, map, path, free.Reader, [work.Writer, ordered.Writer, profiling.Writer], timings, stop.Token), CancellationToken.None);
        var normalizers = Enumerable.Range(0, workers).Select(_ => Task.Run(() => NormalizeAsync(work.Reader, timings, stop.Token), CancellationToken.None)).ToArray();
        var profiler = Task.Run(() => ProfileAsync(profiling.Reader, profile, free.Writer, timings, stop), CancellationToken.None);
        long rows = 0;
        var finished = false;
        try
        {
            // The stop token also fires when the profiling thread fails; its error then surfaces below.
            while (!finished && await ordered.Reader.WaitToReadAsync(stop.Token))
            {
                while (ordered.Reader.TryRead(out var batch))
                {
                    await batch.Normalized.WaitAsync(stop.Token);
                    batch.Failure?.Throw();
                    var started = Stopwatch.GetTimestamp();
                    if (batch.Count > 0)
                    {
                        check(batch);
                        rows += batch.Count;
                    }

                    timings.Checking += Stopwatch.GetTimestamp() - started;
                    batch.Error?.Throw();
                    finished |= batch.Last;
                    Release(batch, free.Writer);
                    stop.Token.ThrowIfCancellationRequested();
                }
            }

            // The profiles are complete once the profiling thread has counted the last batch too,
            // and every row checked was profiled: a report never describes fewer rows than it read.
            var profiled = await profiler;
            if (profiled != rows)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{path}: {rows} rows were checked but {profiled} profiled"));
            }
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var task in normalizers.Prepend(producer).Append(profiler))
            {
                try
                {
                    await task;
                }
                catch (OperationCanceledException)
                {
                    // It stopped because the checks stopped first.
                }
            }

            foreach (var batch in batches)
            {
                batch.Dispose();
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (!finished)
        {
            throw new InvalidOperationException($"the reader of {path} stopped before the end of the file");
        }

        timings.Report(path, rows, workers);
        return rows;
    }

    private static async Task ProduceAsync(CsvRecordReader reader, int[] map, string path, ChannelReader<RowBatch> free, ChannelWriter<RowBatch>[] outputs, StageTimings timings, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var batch = await free.ReadAsync(cancellationToken);
                var started = Stopwatch.GetTimestamp();
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

                        batch.Capture(reader, map, path);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    batch.Error = ExceptionDispatchInfo.Capture(ex);
                    batch.Last = true;
                }

                timings.Reading += Stopwatch.GetTimestamp() - started;

                // To whichever worker is free first, and in file order to both counting threads.
                batch.Holders = 2;
                foreach (var output in outputs)
                {
                    output.TryWrite(batch);
                }

                if (batch.Last)
                {
                    return;
                }
            }
        }
        finally
        {
            foreach (var output in outputs)
            {
                output.TryComplete();
            }
        }
    }

    private static async Task<long> ProfileAsync(ChannelReader<RowBatch> profiling, Action<RowBatch> profile, ChannelWriter<RowBatch> free, StageTimings timings, CancellationTokenSource stop)
    {
        long profiled = 0;
        try
        {
            await foreach (var batch in profiling.ReadAllAsync(stop.Token))
            {
                await batch.Normalized.WaitAsync(stop.Token);
                var started = Stopwatch.GetTimestamp();
                if (batch.Failure is null && batch.Count > 0)
                {
                    profile(batch);
                }

                timings.Profiling += Stopwatch.GetTimestamp() - started;

                // Read before letting go: once released, the reader may refill the batch (and mark
                // it last) before this thread looks again.
                var last = batch.Last;
                profiled += batch.Failure is null ? batch.Count : 0;
                Release(batch, free);
                if (last)
                {
                    return profiled;
                }
            }

            return profiled;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await stop.CancelAsync(); // the checking thread stops waiting, and this error is the one it reports
            throw;
        }
    }

    private static void Release(RowBatch batch, ChannelWriter<RowBatch> free)
    {
        if (Interlocked.Decrement(ref batch.Holders) == 0)
        {
            free.TryWrite(batch);
        }
    }

    private static async Task NormalizeAsync(ChannelReader<RowBatch> work, StageTimings timings, CancellationToken cancellationToken)
    {
        await foreach (var batch in work.ReadAllAsync(cancellationToken))
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                batch.Normalize();
            }
            catch (Exception ex)
            {
                batch.Failure = ExceptionDispatchInfo.Capture(ex);
            }

            Interlocked.Add(ref timings.Normalizing, Stopwatch.GetTimestamp() - started);
            batch.Normalized.Release(2);
        }
    }

    /// <summary>Busy time per stage (Stopwatch ticks), shown with <c>REPRO_TIMINGS=1</c>.</summary>
    private sealed class StageTimings
    {
        private readonly int _gen0 = GC.CollectionCount(0);
        private readonly int _gen1 = GC.CollectionCount(1);
        private readonly int _gen2 = GC.CollectionCount(2);
        private readonly long _allocated = GC.GetTotalAllocatedBytes();

        public long Reading { get; set; }

        public long Checking { get; set; }

        public long Profiling { get; set; }

#pragma warning disable SA1401 // a field, for Interlocked.Add from the workers
        public long Normalizing;
#pragma warning restore SA1401

        public void Report(string path, long rows, int workers)
        {
            if (!PhaseTimings.Enabled)
            {
                return;
            }

            static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
            PhaseTimings.Mark(string.Create(
                CultureInfo.InvariantCulture,
                $"leak: {Path.GetFileName(path)}: {rows} rows; busy: reading {Ms(Reading):0} ms, normalising {Ms(Normalizing):0} ms on {workers} workers, checking {Ms(Checking):0} ms, profiling {Ms(Profiling):0} ms; GCs {GC.CollectionCount(0) - _gen0}/{GC.CollectionCount(1) - _gen1}/{GC.CollectionCount(2) - _gen2} (gen 0/1/2), {(GC.GetTotalAllocatedBytes() - _allocated) / 1e6:0.0} MB allocated"));
        }
    }
}
