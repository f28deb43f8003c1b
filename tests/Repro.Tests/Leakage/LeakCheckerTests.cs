using Repro.Checks.Leakage;
using Repro.Model.Findings;

namespace Repro.Tests.Leakage;

public sealed class LeakCheckerTests
{
    // Everything a report says, numbers round-tripped, so two reports compare as text.
    private static string Describe(LeakReport report)
    {
        static string R(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        var lines = report.Findings.Select(f => $"{f.RuleId} {f.Severity} {f.Path}:{f.Line} {f.Message} [{string.Join(", ", f.Figures.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={R(p.Value)}"))}] {string.Join(" | ", f.Examples)}")
            .Concat(report.Summary.Shift.Select(m => $"shift {m.Column} {m.Statistic} {R(m.Value)} {R(m.PValue)} {m.Method} {m.Flagged}"))
            .Concat(report.Summary.Proxies.Select(m => $"proxy {m.Column} {m.Statistic} {R(m.Value)} {m.Rows} {m.Method} {m.Flagged}"))
            .Append($"rows {report.Summary.Train.Rows} {report.Summary.Test.Rows}; notes {string.Join(" | ", report.Summary.Notes)}");
        return string.Join("\n", lines);
    }

    private static Task<LeakReport> CheckAsync(TempDirectory dir, string train, string test, Func<LeakOptions, LeakOptions>? configure = null)
    {
        var options = new LeakOptions { TrainPath = dir.Write("train.csv", train), TestPath = dir.Write("test.csv", test) };
        return LeakChecker.CheckAsync(configure is null ? options : configure(options), CancellationToken.None);
    }

    [Fact]
    public async Task Leak_duplicates_ignore_formatting_ids_and_the_target()
    {
        using var dir = new TempDirectory();
        var report = await CheckAsync(
            dir,
            "id,x,city,y\n1,1.0,New York,0\n2,2,Paris,1\n3,3,Rome,0\n",
            "id,x,city,y\n10,1,  New   York ,1\n11,2.50,Paris,1\n12,2.5,Paris,0\n13,3e0,Rome,1\n",
            o => o with { Ids = ["id"], Target = "y" });
        var across = Assert.Single(report.Findings, f => f.RuleId == "L1.4" && f.Severity != Severity.Note);
        Assert.Equal(2, across.Figures["count"]);
        Assert.Equal(0.5, across.Figures["share"]);
        Assert.Equal(Severity.Error, across.Severity);
        Assert.Contains("test line 2 = train line 2", across.Examples[0], StringComparison.Ordinal);
        var within = Assert.Single(report.Findings, f => f.RuleId == "L1.4" && f.Severity == Severity.Note);
        Assert.Equal(1, within.Figures["count"]);
        Assert.Equal(["x", "city"], report.Summary.ComparedColumns);
        Assert.Equal(1, report.ExitCode);
    }

    [Fact]
    public async Task Leak_test_columns_are_matched_by_name_in_any_order()
    {
        using var dir = new TempDirectory();
        var report = await CheckAsync(dir, "a,b\n1,2\n3,4\n", "b,a\n2,1\n9,9\n");
        Assert.Equal(1, Assert.Single(report.Findings).Figures["count"]);
    }

    [Fact]
    public async Task Leak_mismatched_headers_name_the_columns()
    {
        using var dir = new TempDirectory();
        var ex = await Assert.ThrowsAsync<ReproException>(() => CheckAsync(dir, "a,b,c\n1,2,3\n", "a,b,d\n1,2,3\n"));
        Assert.Contains("lacks column 'c'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("has column 'd'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leak_a_missing_role_column_is_named()
    {
        using var dir = new TempDirectory();
        var ex = await Assert.ThrowsAsync<ReproException>(() => CheckAsync(dir, "a,b\n1,2\n", "a,b\n1,2\n", o => o with { Target = "label" }));
        Assert.StartsWith("--target 'label' is not a column of", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leak_ragged_rows_and_empty_files_are_bad_input()
    {
        using var dir = new TempDirectory();
        var ragged = await Assert.ThrowsAsync<ReproException>(() => CheckAsync(dir, "a,b\n1,2\n3\n", "a,b\n1,2\n"));
        Assert.EndsWith("train.csv: line 3 has 1 fields, the header has 2", ragged.Message, StringComparison.Ordinal);
        var empty = await Assert.ThrowsAsync<ReproException>(() => CheckAsync(dir, "a,b\n1,2\n", string.Empty));
        Assert.Contains("is empty", empty.Message, StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<ReproException>(() => LeakChecker.CheckAsync(new LeakOptions { TrainPath = dir.Combine("nope.csv"), TestPath = dir.Combine("nope.csv") }, CancellationToken.None));
        Assert.StartsWith("cannot read", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leak_time_accepts_iso_dates_and_rejects_mixing_them_with_numbers()
    {
        using var dir = new TempDirectory();
        var report = await CheckAsync(dir, "t,x\n2024-01-01,1\n2024-02-01T12:00:00Z,2\n", "t,x\n2024-02-01T11:59:00+00:00,3\n2024-03-01,4\n2024-02-01 13:00,5\n", o => o with { Time = "t" });
        var older = Assert.Single(report.Findings, f => f.RuleId == "L3.1");
        Assert.Equal(1, older.Figures["count"]);
        Assert.Equal(2, older.Line);

        var mixed = await Assert.ThrowsAsync<ReproException>(() => CheckAsync(dir, "t,x\n2024-01-01,1\n", "t,x\n5,1\n", o => o with { Time = "t" }));
        Assert.Contains("test.csv: line 2", mixed.Message, StringComparison.Ordinal);
        var bad = await Assert.ThrowsAsync<ReproException>(() => CheckAsync(dir, "t,x\nyesterday,1\n", "t,x\n5,1\n", o => o with { Time = "t" }));
        Assert.Contains("'yesterday', neither an ISO-8601 date/time nor a number", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leak_statistics_say_when_they_used_a_reservoir_sample()
    {
        using var dir = new TempDirectory();
        var train = "x,y\n" + string.Concat(Enumerable.Range(0, 500).Select(i => $"{i},{i % 2}\n"));
        var test = "x,y\n" + string.Concat(Enumerable.Range(0, 50).Select(i => $"{i * 10},{i % 2}\n"));
        var report = await CheckAsync(dir, train, test, o => o with { Target = "y", Thresholds = LeakThresholds.Default with { SampleSize = 100 } });
        var shift = Assert.Single(report.Summary.Shift);
        Assert.Contains("reservoir sample of 100 of 500 values, seed 42 in train", shift.Method, StringComparison.Ordinal);
        Assert.Contains("exact, 50 values in test", shift.Method, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leak_errors_surface_in_file_order_although_another_thread_reads_ahead()
    {
        using var dir = new TempDirectory();

        // The reading thread meets the ragged line 4 first; the bad time on line 3 comes first in the file.
        var bad = await Assert.ThrowsAsync<ReproException>(() => CheckAsync(dir, "t,x\n2024-01-01,1\nyesterday,2\n3\n", "t,x\n2024-02-01,1\n", o => o with { Time = "t" }));
        Assert.Contains("train.csv: line 3: --time column 't' has 'yesterday'", bad.Message, StringComparison.Ordinal);
        var ragged = await Assert.ThrowsAsync<ReproException>(() => CheckAsync(dir, "t,x\n2024-01-01,1\n", "t,x\n2024-02-01,1\n2024-02-02\n", o => o with { Time = "t" }));
        Assert.EndsWith("test.csv: line 3 has 1 fields, the header has 2", ragged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leak_counts_and_examples_hold_across_many_batches()
    {
        using var dir = new TempDirectory();

        // 30,000 distinct train rows (several batches, more than are recycled); test repeats every
        // 1,000th train row, in a quoted and respaced spelling, among 20,000 rows of its own.
        var train = new System.Text.StringBuilder("id,x,city,label\n");
        for (var i = 0; i < 30_000; i++)
        {
            train.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i},{i}.5,c{i % 7},{i % 2}\n");
        }

        var test = new System.Text.StringBuilder("city,label,x,id\n");
        var duplicates = 0;
        for (var i = 0; i < 20_000; i++)
        {
            if (i % 1000 == 999)
            {
                var k = i + 5000;
                test.Append(System.Globalization.CultureInfo.InvariantCulture, $"\" c{k % 7} \",1,{k}.50,t{i}\n");
                duplicates++;
            }
            else
            {
                test.Append(System.Globalization.CultureInfo.InvariantCulture, $"c{i % 7},0,{i}.25,t{i}\n");
            }
        }

        var report = await CheckAsync(dir, train.ToString(), test.ToString(), o => o with { Ids = ["id"], Target = "label" });
        var across = Assert.Single(report.Findings, f => f.RuleId == "L1.4");
        Assert.Equal(duplicates, across.Figures["count"]);
        Assert.Equal(1001, across.Line); // data row 999 is on line 1001
        Assert.Equal("test line 1001 = train line 6001: t999,5999.50, c0 ,1", across.Examples[0]);
        Assert.Equal(30_000, report.Summary.Train.Rows);
        Assert.Equal(20_000, report.Summary.Test.Rows);
    }

    [Fact]
    public async Task Leak_one_or_several_normalising_workers_give_the_same_report()
    {
        using var dir = new TempDirectory();

        // Many batches with every kind of finding: planted duplicates, shared groups, older
        // visits, a proxy, a shifted feature and a categorical column.
        var train = new System.Text.StringBuilder("id,patient,visit,x,score,city,label\n");
        for (var i = 0; i < 25_000; i++)
        {
            train.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i},P{i % 9000},2024-01-{1 + (i % 28):00}T{i % 24:00}:00:00,{i}.5,{(i % 2) + ((i % 97) / 1000.0):0.000},c{i % 7},{i % 2}\n");
        }

        var test = new System.Text.StringBuilder("id,patient,visit,x,score,city,label\n");
        for (var i = 0; i < 15_000; i++)
        {
            var k = i % 500 == 0 ? i : i + 100_000;
            test.Append(System.Globalization.CultureInfo.InvariantCulture, $"t{i},{(i % 300 == 0 ? "P" : "Q")}{i},{(i % 400 == 0 ? "2023-12-31" : "2024-02-01")},{k}.50,{((i % 2) * 2) + ((i % 89) / 1000.0):0.000},\" c{i % 5} \",{i % 2}\n");
        }

        var options = new LeakOptions { TrainPath = dir.Write("train.csv", train.ToString()), TestPath = dir.Write("test.csv", test.ToString()), Ids = ["id"], Target = "label", Group = "patient", Time = "visit" };
        var one = await LeakChecker.CheckAsync(options, 1, CancellationToken.None);
        var three = await LeakChecker.CheckAsync(options, 3, CancellationToken.None);
        Assert.Equal(["L1.4", "L3.2", "L3.1", "L2", "L3.3"], one.Findings.Select(f => f.RuleId).Distinct());
        Assert.Equal(Describe(one), Describe(three));
    }

    [Fact]
    public async Task Leak_reads_a_BOM_CRLF_quoted_separators_and_newlines_and_a_last_line_without_newline()
    {
        using var dir = new TempDirectory();
        var bom = "\uFEFF";

        // Train: a BOM, CRLF line ends, a quoted field holding the separator and a newline (so
        // later rows sit one line further down), and no newline after the last row.
        var report = await CheckAsync(
            dir,
            bom + "id,note,x\r\n1,\"a, b\",1\r\n2,\"two\r\nlines\",2\r\n3,\"say \"\"hi\"\"\",3\r\n4,plain,4",
            "id,note,x\n10,\" a,  b \",1.0\n11,\"two\r\nlines\",2\n12,\"say \"\"hi\"\"\",3e0\n13,plain,4.00",
            o => o with { Ids = ["id"] });
        Assert.Equal(["id", "note", "x"], report.Summary.Columns);
        var across = Assert.Single(report.Findings, f => f.RuleId == "L1.4");
        Assert.Equal(4, across.Figures["count"]);
        Assert.Contains("test line 3 = train line 3: 11,two\r\nlines,2", across.Examples[1], StringComparison.Ordinal);
        Assert.Contains("test line 5 = train line 5: 12,say \"hi\",3e0", across.Examples[2], StringComparison.Ordinal);
        Assert.Contains("test line 6 = train line 6: 13,plain,4.00", across.Examples[3], StringComparison.Ordinal);
        Assert.Equal(4, report.Summary.Train.Rows);
    }

    [Fact]
    public async Task Leak_a_ragged_row_far_into_the_file_is_bad_input_naming_its_line()
    {
        using var dir = new TempDirectory();
        var train = new System.Text.StringBuilder("a,b\n");
        for (var i = 0; i < 10_000; i++)
        {
            train.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i},\"x\n{i}\"\n");
        }

        train.Append("1,2,3\n4,5\n");
        var ex = await Assert.ThrowsAsync<ReproException>(() => CheckAsync(dir, train.ToString(), "a,b\n1,2\n"));
        Assert.EndsWith("train.csv: line 20002 has 3 fields, the header has 2", ex.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCode.Usage, ex.Code);
    }

    [Theory]
    [InlineData("2024-02-29")]
    [InlineData("2024-02-01T11:59:00+00:00")]
    [InlineData("2024-02-01T12:00:00Z")]
    [InlineData("2024-02-01 13:00")]
    [InlineData("2024-02-01T13:00:05.1234567-05:30")]
    [InlineData("2024-02-01T13:00:05.5+0200")]
    [InlineData("1999-12-31T23:59:59.999")]
    [InlineData("2024-02-01 13:00 +01:00")]
    public void Leak_time_fast_iso_path_agrees_with_the_runtime_parser(string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        Assert.True(TimeValue.TryParse(CellKind.Text, 0, bytes, out var value));
        var expected = DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);
        Assert.True(value.IsDate);
        Assert.Equal(expected.UtcTicks, value.Ticks);
    }

    [Theory]
    [InlineData("2024-02-30")]
    [InlineData("2024-13-01")]
    [InlineData("2024-01-01T25:00")]
    [InlineData("01/02/2024")]
    [InlineData("2024-01-01Tnoon")]
    public void Leak_time_rejects_what_is_not_an_ISO_date(string text) =>
        Assert.False(TimeValue.TryParse(CellKind.Text, 0, System.Text.Encoding.UTF8.GetBytes(text), out _));
}
