using System.Globalization;
using System.Text.RegularExpressions;
using Repro.Capture.Metrics;
using Repro.Model.Serialization;
using Repro.Model.Verdicts;

namespace Repro.Judging.Comparison;

/// <summary>
/// CSV/TSV cell by cell, streaming both files row by row: numeric cells with tolerance, others
/// exactly. Columns that hold labels or decisions (non-numeric, integer-valued with few distinct
/// values, or named like pred*, label, decision, class, target) report an agreement rate
/// (1 − churn) and their flips; a flip diverges unless agreement ≥ the minimum allowed.
/// </summary>
public sealed partial class CsvComparer : IFileComparer
{
    private const int FewDistinct = 20;

    public string Name => "csv";

    public bool CanCompare(string path) => Path.GetExtension(path).ToLowerInvariant() is ".csv" or ".tsv";

    public async Task<ComparisonResult> CompareAsync(string originalPath, string reproducedPath, ComparisonOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await CompareRowsAsync(originalPath, reproducedPath, options, cancellationToken);
        }
        catch (BadInputException ex)
        {
            return Result(Verdict.Diverged, $"the files cannot be compared cell by cell: {ex.Message}");
        }
    }

    private async Task<ComparisonResult> CompareRowsAsync(string originalPath, string reproducedPath, ComparisonOptions options, CancellationToken cancellationToken)
    {
        var separator = Path.GetExtension(originalPath).Equals(".tsv", StringComparison.OrdinalIgnoreCase) ? '\t' : ',';
        using var a = new StreamReader(originalPath);
        using var b = new StreamReader(reproducedPath);
        var headerA = ReadLine(a, "the original", 1);
        var headerB = ReadLine(b, "the reproduction", 1);
        if (headerA is null || headerB is null)
        {
            return Result(Verdict.Diverged, headerA is null && headerB is null ? "both files are empty" : "one file is empty");
        }

        if (separator == ',' && headerA.Contains('\t', StringComparison.Ordinal) && !headerA.Contains(',', StringComparison.Ordinal))
        {
            separator = '\t';
        }

        List<string> columns;
        List<string> columnsB;
        try
        {
            columns = CsvMetrics.Split(headerA, separator, "original", 1);
            columnsB = CsvMetrics.Split(headerB, separator, "reproduction", 1);
        }
        catch (FormatException ex)
        {
            return Result(Verdict.Diverged, $"cannot read the header: {ex.Message}");
        }

        if (!columns.SequenceEqual(columnsB, StringComparer.Ordinal))
        {
            var removed = columns.Except(columnsB, StringComparer.Ordinal).ToList();
            var added = columnsB.Except(columns, StringComparer.Ordinal).ToList();
            return Result(Verdict.Diverged, $"headers differ: removed [{string.Join(", ", removed)}], added [{string.Join(", ", added)}]{(removed.Count == 0 && added.Count == 0 ? " (same columns, other order)" : string.Empty)}");
        }

        var stats = new NumericStats(options.Tolerance, options.MaxExamples);
        var state = columns.Select(c => new ColumnState(c)).ToArray();
        long row = 0;
        while (true)
        {
            var lineA = ReadLine(a, "the original", row + 2);
            var lineB = ReadLine(b, "the reproduction", row + 2);
            if (lineA is null || lineB is null)
            {
                if (lineA is not null || lineB is not null)
                {
                    var restA = lineA is null ? 0 : 1 + await CountAsync(a, cancellationToken);
                    var restB = lineB is null ? 0 : 1 + await CountAsync(b, cancellationToken);
                    return Result(Verdict.Diverged, string.Create(CultureInfo.InvariantCulture, $"row counts differ: {row + restA} data rows → {row + restB}"));
                }

                break;
            }

            row++;
            List<string> cellsA;
            List<string> cellsB;
            try
            {
                cellsA = CsvMetrics.Split(lineA, separator, "original", (int)row + 1);
                cellsB = CsvMetrics.Split(lineB, separator, "reproduction", (int)row + 1);
            }
            catch (FormatException ex)
            {
                return Result(Verdict.Diverged, $"cannot read row {row}: {ex.Message}");
            }

            if (cellsA.Count != columns.Count || cellsB.Count != columns.Count)
            {
                var which = cellsA.Count != columns.Count ? "original" : "reproduction";
                var count = cellsA.Count != columns.Count ? cellsA.Count : cellsB.Count;
                return Result(Verdict.Diverged, string.Create(CultureInfo.InvariantCulture, $"ragged rows: row {row} of the {which} has {count} fields, the header has {columns.Count}; the files cannot be compared cell by cell"));
            }

            for (var i = 0; i < columns.Count; i++)
            {
                state[i].Add(cellsA[i], cellsB[i], row, stats);
            }
        }

        // Decide which columns are labels now that every value has been seen.
        var verdict = Verdict.Identical;
        var details = new List<string>();
        long flips = 0;
        double? agreement = null;
        foreach (var column in state)
        {
            if (column.IsLabel)
            {
                if (column.Changed > 0)
                {
                    flips += column.Changed;
                    var rate = 1 - ((double)column.Changed / Math.Max(row, 1));
                    agreement = Math.Min(agreement ?? 1, rate);
                    details.Add(string.Create(CultureInfo.InvariantCulture, $"column {column.Name}: {column.Changed} of {row} labels flipped (agreement {rate:P2}){(column.FirstChange is null ? string.Empty : $", first {column.FirstChange}")}"));
                    var allowed = options.MinAgreement < 1 && rate >= options.MinAgreement;
                    verdict = Worst(verdict, allowed ? Verdict.Equivalent : Verdict.Diverged);
                }
                else
                {
                    agreement ??= 1;
                }
            }
            else
            {
                verdict = Worst(verdict, column.Verdict);
                if (column.Detail(options.Tolerance) is { } detail)
                {
                    details.Add(detail);
                }
            }
        }

        if (verdict == Verdict.Identical)
        {
            verdict = Verdict.Equivalent;
            details.Add("same values; only the formatting of the bytes differs");
        }

        if (agreement is not null && options.MinAgreement < 1)
        {
            details.Add(string.Create(CultureInfo.InvariantCulture, $"minimum agreement allowed {options.MinAgreement:P2}"));
        }

        return new ComparisonResult
        {
            Verdict = verdict,
            Comparer = Name,
            Detail = string.Create(CultureInfo.InvariantCulture, $"{row} rows × {columns.Count} columns: ") + string.Join("; ", details.Take(options.MaxExamples + 2)),
            MaxAbsError = stats.MaxAbs,
            MaxRelError = stats.MaxRel,
            Compared = stats.Compared,
            OutOfTolerance = state.Where(c => !c.IsLabel).Sum(c => c.OutOfTolerance),
            AgreementRate = agreement,
            Flips = agreement is null ? null : flips,
        };
    }

    private static Verdict Worst(Verdict a, Verdict b) => (Verdict)Math.Max((int)a, (int)b);

    private static async Task<long> CountAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        long count = 0;
        while (ReadLine(reader, "the file", count + 1) is not null)
        {
            count++;
            if (count % 65_536 == 0)
            {
                await Task.Yield();
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        return count;
    }

    private static string? ReadLine(StreamReader reader, string which, long lineNumber) => BoundedFile.ReadLine(reader, CsvLimits.MaxLineChars, which, lineNumber);

    private ComparisonResult Result(Verdict verdict, string detail) => new() { Verdict = verdict, Comparer = Name, Detail = detail };

    [GeneratedRegex(@"^(pred.*|y_pred|yhat|label|labels|decision|decisions|class|classes|target|approved|outcome)$", RegexOptions.IgnoreCase)]
    private static partial Regex LabelName();

    /// <summary>What one column has shown so far.</summary>
    private sealed class ColumnState(string name)
    {
        private readonly HashSet<string> _distinct = new(StringComparer.Ordinal);
        private bool _allNumeric = true;
        private bool _allInteger = true;
        private long _numericDiffering;
        private double _maxAbs;
        private string? _firstOut;

        public string Name { get; } = name;

        public long Changed { get; private set; }

        public long OutOfTolerance { get; private set; }

        public string? FirstChange { get; private set; }

        public bool IsLabel => LabelName().IsMatch(Name) || !_allNumeric || (_allInteger && _distinct.Count <= FewDistinct);

        public Verdict Verdict => OutOfTolerance > 0 || (Changed > 0 && !_allNumeric) ? Verdict.Diverged : _numericDiffering > 0 ? Verdict.Equivalent : Verdict.Identical;

        public void Add(string a, string b, long row, NumericStats stats)
        {
            if (_distinct.Count <= FewDistinct)
            {
                _distinct.Add(a);
                _distinct.Add(b);
            }

            var numericA = MetricValues.TryParse(a, out var x) && a.Length > 0;
            var numericB = MetricValues.TryParse(b, out var y) && b.Length > 0;
            if (numericA && numericB)
            {
                _allInteger &= Math.Floor(x) == x && Math.Floor(y) == y;
                if (!x.Equals(y))
                {
                    Changed++;
                    FirstChange ??= string.Create(CultureInfo.InvariantCulture, $"row {row}: {a} → {b}");
                    _numericDiffering++;
                    _maxAbs = Math.Max(_maxAbs, Math.Abs(y - x));
                }

                if (!stats.Add(x, y, null))
                {
                    OutOfTolerance++;
                    _firstOut ??= string.Create(CultureInfo.InvariantCulture, $"row {row}: {a} → {b}");
                }

                return;
            }

            _allNumeric = false;
            if (a != b)
            {
                Changed++;
                FirstChange ??= string.Create(CultureInfo.InvariantCulture, $"row {row}: \"{a}\" → \"{b}\"");
            }
        }

        public string? Detail(Tolerance tolerance)
        {
            if (OutOfTolerance > 0)
            {
                return string.Create(CultureInfo.InvariantCulture, $"column {Name}: {OutOfTolerance} cells outside tolerance ({tolerance}), max abs error {_maxAbs:G4}, first {_firstOut}");
            }

            return _numericDiffering > 0
                ? string.Create(CultureInfo.InvariantCulture, $"column {Name}: {_numericDiffering} cells differ within tolerance ({tolerance}), max abs error {_maxAbs:G4}")
                : null;
        }
    }
}
