using System.Text;
using Repro.Checks.Leakage;

namespace Repro.Tests.Leakage;

public sealed class RowPipelineTests
{
    // Seven full batches and a short last one: with one worker the pipeline holds five batches,
    // so every batch is recycled at least once, the last one too.
    private const int Rows = (7 * RowBatch.Capacity) + 424;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public async Task Leak_pipeline_hands_every_row_once_and_in_order_to_both_counting_threads(int workers)
    {
        var text = new StringBuilder("a,b\n");
        for (var i = 0; i < Rows; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i},{i % 3}\n");
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        string[] columns = ["a", "b"];
        var layout = ColumnLayout.Resolve(columns, new LeakOptions { TrainPath = "t.csv", TestPath = "u.csv" });

        // Repeated, because the threads meet differently each time; the profile is made the slower
        // side, so batches wait for it and are recycled the moment it lets go.
        for (var round = 0; round < 25; round++)
        {
            var checkedLines = new List<long>(Rows);
            var profiledLines = new List<long>(Rows);
            var profiledValues = 0L;
            await using var reader = new CsvRecordReader(new MemoryStream(bytes), (byte)',', "t.csv");
            Assert.True(await reader.ReadAsync(CancellationToken.None));
            var rows = await RowPipeline.RunAsync(
                reader,
                [0, 1],
                layout,
                "t.csv",
                (byte)',',
                [true, true],
                batch => checkedLines.AddRange(batch.Lines.AsSpan(0, batch.Count)),
                batch =>
                {
                    profiledLines.AddRange(batch.Lines.AsSpan(0, batch.Count));
                    for (var row = 0; row < batch.Count; row++)
                    {
                        profiledValues += (long)batch.Numbers[row * batch.Width];
                    }

                    Thread.SpinWait(20_000);
                },
                workers,
                CancellationToken.None);

            Assert.Equal(Rows, rows);
            Assert.Equal(Enumerable.Range(2, Rows).Select(i => (long)i), checkedLines);
            Assert.Equal(checkedLines, profiledLines);
            Assert.Equal((long)Rows * (Rows - 1) / 2, profiledValues);
        }
    }
}
