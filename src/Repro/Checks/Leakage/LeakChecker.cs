using System.Globalization;
using System.Text;

namespace Repro.Checks.Leakage;

/// <summary>
/// Runs the data-level leakage checks between a training and a test file in two streaming
/// passes — train, then test — keeping only a hash per distinct train row, the distinct group
/// values, the newest train time and bounded per-feature statistics. Problems in the data are
/// findings; a file that cannot be read as a table is a <see cref="ReproException"/>.
/// </summary>
public static class LeakChecker
{
    private const int ExampleWidth = 160;

    public static Task<LeakReport> CheckAsync(LeakOptions options, CancellationToken cancellationToken) =>
        CheckAsync(options, RowPipeline.DefaultWorkers, cancellationToken);

    /// <summary>With a chosen number of normalising workers: the report must not depend on it.</summary>
    internal static async Task<LeakReport> CheckAsync(LeakOptions options, int workers, CancellationToken cancellationToken)
    {
        var trainSeparator = options.Separator ?? await CsvDialect.SniffAsync(options.TrainPath, options.BaseDirectory, cancellationToken);
        var testSeparator = options.Separator ?? await CsvDialect.SniffAsync(options.TestPath, options.BaseDirectory, cancellationToken);
        await using var train = new CsvRecordReader(LeakInput.Open(options.TrainPath, options.BaseDirectory), trainSeparator, options.TrainPath);
        await using var test = new CsvRecordReader(LeakInput.Open(options.TestPath, options.BaseDirectory), testSeparator, options.TestPath);
        var columns = await ReadHeaderAsync(train, options.TrainPath, cancellationToken);
        var testColumns = await ReadHeaderAsync(test, options.TestPath, cancellationToken);
        var testIndex = MapColumns(columns, testColumns, options);
        var layout = ColumnLayout.Resolve(columns, options);
        using var state = new PassState(columns, layout, options);

        var identity = Enumerable.Range(0, columns.Length).ToArray();
        var trainRows = await RowPipeline.RunAsync(train, identity, layout, options.TrainPath, trainSeparator, state.Counted, state.AddTrain, batch => state.Profile(batch, train: true), workers, cancellationToken);
        var testRows = await RowPipeline.RunAsync(test, testIndex, layout, options.TestPath, testSeparator, state.Counted, batch => state.AddTest(batch, testIndex), batch => state.Profile(batch, train: false), workers, cancellationToken);
        return state.Report(
            new LeakFileSummary { Path = options.TrainPath, Separator = CsvDialect.Describe(trainSeparator), Rows = trainRows, Bytes = train.BytesRead },
            new LeakFileSummary { Path = options.TestPath, Separator = CsvDialect.Describe(testSeparator), Rows = testRows, Bytes = test.BytesRead });
    }

    private static async Task<string[]> ReadHeaderAsync(CsvRecordReader reader, string path, CancellationToken cancellationToken)
    {
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw ReproException.Usage($"{path} is empty: a header row naming the columns is needed");
        }

        var names = new string[reader.FieldCount];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = Encoding.UTF8.GetString(CellNormalizer.Trim(reader.Field(i)));
            if (!seen.Add(names[i]))
            {
                throw ReproException.Usage(string.Create(CultureInfo.InvariantCulture, $"{path}: the header names column '{names[i]}' twice (columns {Array.IndexOf(names, names[i]) + 1} and {i + 1})"));
            }
        }

        return names;
    }

    // Test columns are matched to train's by name, so the order may differ; the sets may not.
    private static int[] MapColumns(string[] train, string[] test, LeakOptions options)
    {
        var missing = train.Except(test, StringComparer.Ordinal).ToList();
        var extra = test.Except(train, StringComparer.Ordinal).ToList();
        if (missing.Count > 0 || extra.Count > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0)
            {
                parts.Add($"{options.TestPath} lacks {Names(missing)}");
            }

            if (extra.Count > 0)
            {
                parts.Add($"{options.TestPath} has {Names(extra)} that {options.TrainPath} lacks");
            }

            throw ReproException.Usage($"the headers differ: {string.Join("; ", parts)}");
        }

        return [.. train.Select(name => Array.IndexOf(test, name))];
    }

    private static string Names(List<string> names) =>
        (names.Count == 1 ? "column " : "columns ") + string.Join(", ", names.Take(10).Select(n => $"'{n}'")) + (names.Count > 10 ? $" and {names.Count - 10} more" : string.Empty);

    internal static string Example(byte[][] fields, int[] map, byte separator)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < map.Length && builder.Length < ExampleWidth; i++)
        {
            if (i > 0)
            {
                builder.Append((char)separator);
            }

            builder.Append(Encoding.UTF8.GetString(fields[map[i]]));
        }

        return builder.Length > ExampleWidth ? builder.ToString(0, ExampleWidth) + "…" : builder.ToString();
    }
}
