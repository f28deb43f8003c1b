using System.Text;
using Repro.Checks.Leakage;

namespace Repro.Tests.Leakage;

public sealed class CsvRecordReaderTests
{
    private static async Task<List<(long Line, string[] Fields)>> ReadAllAsync(string text, int bufferSize, byte separator = (byte)',')
    {
        var records = new List<(long, string[])>();
        await using var reader = new CsvRecordReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), separator, "t.csv", bufferSize);
        while (await reader.ReadAsync(CancellationToken.None))
        {
            records.Add((reader.LineNumber, Enumerable.Range(0, reader.FieldCount).Select(reader.FieldText).ToArray()));
        }

        return records;
    }

    [Theory]
    [InlineData(1 << 20)]
    [InlineData(3)]
    [InlineData(7)]
    public async Task Leak_reader_handles_quotes_doubled_quotes_newlines_in_quotes_and_CRLF(int bufferSize)
    {
        var text = "\uFEFFa,b,c\r\n1,\"x, y\",3\r\n\"he said \"\"hi\"\"\",\"two\nlines\",\r\n\n4,5,6";
        var records = await ReadAllAsync(text, bufferSize);
        Assert.Equal(4, records.Count);
        Assert.Equal(["a", "b", "c"], records[0].Fields);
        Assert.Equal(["1", "x, y", "3"], records[1].Fields);
        Assert.Equal(["he said \"hi\"", "two\nlines", string.Empty], records[2].Fields);
        Assert.Equal(["4", "5", "6"], records[3].Fields);
        Assert.Equal([1L, 2, 3, 6], records.Select(r => r.Line));
    }

    [Fact]
    public async Task Leak_a_records_bytes_split_again_give_the_fields_the_reader_gave()
    {
        var text = "a,b,c\r\n1,\"x, y\",3\r\n\"he said \"\"hi\"\"\",\"two\nlines\",\r\n4,  5 ,6";
        await using var reader = new CsvRecordReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), (byte)',', "t.csv", 5);
        var records = 0;
        while (await reader.ReadAsync(CancellationToken.None))
        {
            var again = CsvRecordReader.SplitRecord(reader.RecordBytes, (byte)',');
            Assert.Equal(Enumerable.Range(0, reader.FieldCount).Select(reader.FieldText), again.Select(f => Encoding.UTF8.GetString(f)));
            records++;
        }

        Assert.Equal(4, records);
    }

    [Fact]
    public async Task Leak_reader_reads_lone_CR_line_ends_and_a_last_line_without_newline()
    {
        var records = await ReadAllAsync("a;b\r1;2\r3;4", 4, (byte)';');
        Assert.Equal(3, records.Count);
        Assert.Equal(["3", "4"], records[2].Fields);
    }

    [Fact]
    public async Task Leak_reader_names_the_line_of_an_unclosed_quote()
    {
        var ex = await Assert.ThrowsAsync<ReproException>(() => ReadAllAsync("a,b\n1,2\n3,\"open\n4,5\n", 5));
        Assert.Contains("t.csv: line 3", ex.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCode.Usage, ex.Code);
    }

    [Theory]
    [InlineData("a,b,c\n1,2,3\n", ',')]
    [InlineData("a;b;c\n1,5;2,5;3\n", ';')]
    [InlineData("a\tb\tc\n1\t2\t3\n", '\t')]
    [InlineData("a|b\n\"x,y,z\"|2\n", '|')]
    [InlineData("\"a;b\",c,d\n1,2,3\n", ',')]
    [InlineData("single\n1\n2\n", ',')]
    public void Leak_dialect_sniffs_the_separator_consistent_over_the_first_lines(string sample, char expected)
    {
        Assert.Equal((byte)expected, CsvDialect.Sniff(Encoding.UTF8.GetBytes(sample)));
    }

    [Fact]
    public void Leak_dialect_parses_sep_flags()
    {
        Assert.Equal((byte)'\t', CsvDialect.Parse("tab"));
        Assert.Equal((byte)'\t', CsvDialect.Parse("\\t"));
        Assert.Equal((byte)';', CsvDialect.Parse(";"));
        Assert.Throws<ReproException>(() => CsvDialect.Parse(",,"));
    }
}
