using System.Globalization;
using System.Text;
using Repro.Checks.Leakage;

namespace Repro.Tests.Leakage;

public sealed class CellNormalizerTests
{
    private static (CellKind Kind, double Number, string Text) Normalize(string cell)
    {
        var raw = Encoding.UTF8.GetBytes(cell);
        var text = new byte[raw.Length];
        var kind = CellNormalizer.Normalize(raw, out var number, text, out var length);
        return (kind, number, Encoding.UTF8.GetString(text, 0, length));
    }

    [Theory]
    [InlineData("1", 1.0)]
    [InlineData("1.0", 1.0)]
    [InlineData(" 1.000 ", 1.0)]
    [InlineData("1e0", 1.0)]
    [InlineData("+1", 1.0)]
    [InlineData("-0", 0.0)]
    [InlineData("-0.0", 0.0)]
    [InlineData("0.1", 0.1)]
    [InlineData(".5", 0.5)]
    [InlineData("-.5", -0.5)]
    [InlineData("5.", 5.0)]
    [InlineData("007", 7.0)]
    [InlineData("123456789012345678", 123456789012345678.0)]
    [InlineData("3.14159265358979323846", 3.14159265358979323846)]
    [InlineData("1e5", 1e5)]
    [InlineData("-2.5E-3", -2.5e-3)]
    [InlineData("+.5e+1", 5.0)]
    public void Leak_numbers_compare_by_value_whatever_their_formatting(string cell, double expected)
    {
        var (kind, number, _) = Normalize(cell);
        Assert.Equal(CellKind.Number, kind);
        Assert.Equal(expected, number);
        Assert.False(double.IsNegative(number) && number == 0, "-0 must become 0");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("NA")]
    [InlineData("n/a")]
    [InlineData("NaN")]
    [InlineData("null")]
    [InlineData("None")]
    public void Leak_missing_markers_are_one_missing_value(string cell) => Assert.Equal(CellKind.Missing, Normalize(cell).Kind);

    [Theory]
    [InlineData("  New   York ", "New York")]
    [InlineData("a\tb", "a b")]
    [InlineData("-", "-")]
    [InlineData(".", ".")]
    [InlineData("1,000", "1,000")]
    [InlineData("12abc", "12abc")]
    [InlineData("2024-03-01T12:00:00", "2024-03-01T12:00:00")]
    [InlineData(" 2024-03-01  12:00 ", "2024-03-01 12:00")]
    [InlineData("12:30", "12:30")]
    [InlineData("-1e5x", "-1e5x")]
    [InlineData(".5.5", ".5.5")]
    public void Leak_text_is_trimmed_and_inner_whitespace_collapsed(string cell, string expected)
    {
        var (kind, _, text) = Normalize(cell);
        Assert.Equal(CellKind.Text, kind);
        Assert.Equal(expected, text);
    }

    [Fact]
    public void Leak_fast_number_path_agrees_with_the_runtime_parser()
    {
        var random = new Random(7);
        for (var i = 0; i < 20_000; i++)
        {
            var digits = random.Next(1, 16);
            var value = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-6, 10));
            var text = value.ToString("F" + random.Next(0, 10).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            text = text.Length > digits + 3 ? text[..(digits + 3)].TrimEnd('.') : text;
            if (text is "-" or "")
            {
                continue;
            }

            Assert.True(CellNormalizer.TryParseNumber(Encoding.UTF8.GetBytes(text), out var fast), text);
            Assert.Equal(double.Parse(text, CultureInfo.InvariantCulture), fast);
        }
    }

    [Fact]
    public void Leak_row_hash_table_counts_distinct_rows_and_keeps_the_first_line()
    {
        using var table = new RowHashTable(4);
        for (var i = 0; i < 10_000; i++)
        {
            Assert.True(table.TryAdd(new UInt128((ulong)i * 31, (ulong)i), i + 2, out _));
        }

        Assert.False(table.TryAdd(new UInt128(31 * 5, 5), 99, out var first));
        Assert.Equal(7, first);
        Assert.Equal(10_000, table.Count);
        Assert.Equal(-1, table.Find(new UInt128(1, 123456789)));
        Assert.Equal(2, table.Find(UInt128.Zero));
    }

    [Fact]
    public void Leak_row_key_distinguishes_a_number_from_the_text_of_its_bytes()
    {
        var a = new RowKey();
        a.Add(CellKind.Text, 0, "ab"u8);
        a.Add(CellKind.Text, 0, "c"u8);
        var b = new RowKey();
        b.Add(CellKind.Text, 0, "a"u8);
        b.Add(CellKind.Text, 0, "bc"u8);
        Assert.NotEqual(a.Hash(), b.Hash());
    }

    [Fact]
    public void Leak_reservoir_keeps_everything_up_to_its_size_then_a_seeded_sample()
    {
        var small = new ReservoirSample(100, 42);
        var again = new ReservoirSample(100, 42);
        for (var i = 0; i < 1000; i++)
        {
            small.Add(i, 0);
            again.Add(i, 0);
        }

        Assert.False(small.Exact);
        Assert.Equal(100, small.Count);
        Assert.Equal(small.Values(), again.Values());
        Assert.InRange(small.Values().Average(), 350, 650);
    }
}
