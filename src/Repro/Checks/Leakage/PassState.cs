using System.Globalization;
using System.Text;
using Repro.Model.Findings;

namespace Repro.Checks.Leakage;

/// <summary>
/// Everything the two passes accumulate, batch by batch in file order (the cells arrive
/// normalised and hashed in <see cref="RowBatch"/>es):
/// the train row hashes, groups and newest time, the per-feature profiles, and the counts and
/// examples of each finding. <see cref="Report"/> turns it into findings at the end.
/// </summary>
internal sealed class PassState : IDisposable
{
    private const int TargetClassCap = 1000;

    // Rows looked ahead when prefetching hash-table slots: enough misses in flight to hide the
    // memory latency of a table far larger than the caches.
    private const int PrefetchDistance = 8;

    private readonly ColumnLayout _layout;
    private readonly LeakOptions _options;
    private readonly LeakThresholds _thresholds;
    private readonly RowHashTable _trainRows = new();
    private readonly RowHashTable _testRows = new(1 << 12);
    private readonly RowHashTable _trainGroups = new(1 << 12);
    private readonly RowHashTable _testGroups = new(1 << 12);
    private readonly RowHashTable _sharedGroups = new(1 << 8);
    private readonly TargetClasses _classes = new(1000);
    private readonly ColumnProfile[] _profiles;
    private readonly List<string> _duplicateExamples = [];
    private readonly List<string> _withinExamples = [];
    private readonly List<string> _groupExamples = [];
    private readonly List<string> _timeExamples = [];
    private readonly int[] _identity;
    private byte[] _newestRecord = [];
    private int _newestLength;
    private byte _newestSeparator = (byte)',';
    private RowBatch? _batch;
    private int _row;
    private int _base;
    private long _duplicates;
    private long _duplicateFirstLine;
    private long _within;
    private long _withinFirstLine;
    private long _groupRows;
    private long _groupFirstLine;
    private long _older;
    private long _olderFirstLine;
    private long _timeMissing;
    private TimeValue? _newest;
    private long _newestLine;

    public PassState(string[] columns, ColumnLayout layout, LeakOptions options)
    {
        Columns = columns;
        _layout = layout;
        _options = options;
        _thresholds = options.Thresholds;
        _identity = [.. Enumerable.Range(0, columns.Length)];
        Counted = new bool[columns.Length];
        foreach (var i in layout.Features.Append(layout.Target).Where(i => i >= 0))
        {
            Counted[i] = true;
        }

        _profiles = [.. layout.Features.Select(i => new ColumnProfile(columns[i], i, _thresholds.SampleSize, _thresholds.CategoryCap, _thresholds.Seed + ((ulong)i * 0x9E3779B97F4A7C15UL), Counted))];
    }

    public string[] Columns { get; }

    /// <summary>
    /// Per column, whether its values are still counted one by one (features while they have few
    /// distinct values, the target): only their cells need a hash, so the normalising workers
    /// read it (a column once dropped stays dropped, so a stale read only costs a hash).
    /// </summary>
    public bool[] Counted { get; }

    public void Dispose()
    {
        _trainRows.Dispose();
        _testRows.Dispose();
        _trainGroups.Dispose();
        _testGroups.Dispose();
        _sharedGroups.Dispose();
    }

    /// <summary>Counts a batch of train rows, in order.</summary>
    public void AddTrain(RowBatch batch)
    {
        _batch = batch;
        var identity = _identity;
        for (var row = 0; row < Math.Min(PrefetchDistance, batch.Count); row++)
        {
            PrefetchTrain(batch, row);
        }

        for (var row = 0; row < batch.Count; row++)
        {
            if (row + PrefetchDistance < batch.Count)
            {
                PrefetchTrain(batch, row + PrefetchDistance);
            }

            _row = row;
            _base = row * batch.Width;
            AddTrainRow(batch.Lines[row], identity);
        }
    }

    /// <summary>Counts a batch of test rows, in order (test columns reach train's through <paramref name="map"/>).</summary>
    public void AddTest(RowBatch batch, int[] map)
    {
        _batch = batch;
        for (var row = 0; row < Math.Min(PrefetchDistance, batch.Count); row++)
        {
            PrefetchTest(batch, row);
        }

        for (var row = 0; row < batch.Count; row++)
        {
            if (row + PrefetchDistance < batch.Count)
            {
                PrefetchTest(batch, row + PrefetchDistance);
            }

            _row = row;
            _base = row * batch.Width;
            AddTestRow(batch.Lines[row], map);
        }
    }

    private void PrefetchTrain(RowBatch batch, int row)
    {
        if (_layout.Hashed.Length > 0)
        {
            _trainRows.Prefetch(batch.RowHashes[row]);
        }

        if (batch.HasGroup[row])
        {
            _trainGroups.Prefetch(batch.GroupHashes[row]);
        }
    }

    private void PrefetchTest(RowBatch batch, int row)
    {
        if (_layout.Hashed.Length > 0)
        {
            _trainRows.Prefetch(batch.RowHashes[row]);
            _testRows.Prefetch(batch.RowHashes[row]);
        }

        if (batch.HasGroup[row])
        {
            _trainGroups.Prefetch(batch.GroupHashes[row]);
            _testGroups.Prefetch(batch.GroupHashes[row]);
        }
    }

    /// <summary>
    /// Counts a batch of rows into the per-feature profiles and the target classes, in order. It
    /// touches nothing <see cref="AddTrain"/> and <see cref="AddTest"/> do, so it runs on a thread
    /// of its own beside them.
    /// </summary>
    public void Profile(RowBatch batch, bool train)
    {
        var width = batch.Width;
        var target = train ? _layout.Target : -1;
        for (var row = 0; row < batch.Count; row++)
        {
            var rowBase = row * width;
            var classIndex = target >= 0 ? _classes.Classify(batch.Kinds[rowBase + target], batch.Numbers[rowBase + target], batch.Text(rowBase + target), batch.CellHashes[rowBase + target]) : -1;
            foreach (var profile in _profiles)
            {
                var cell = rowBase + profile.Index;
                profile.Add(train, batch.Kinds[cell], batch.Numbers[cell], batch.Text(cell), batch.CellHashes[cell], classIndex);
            }
        }
    }

    private void AddTrainRow(long line, int[] map)
    {
        var batch = _batch!;
        if (_layout.Time >= 0 && Time(_options.TrainPath, line, map) is { } time && (_newest is null || time.CompareTo(_newest.Value) > 0))
        {
            _newest = time;
            _newestLine = line;
            var record = batch.Record(_row);
            if (_newestRecord.Length < record.Length)
            {
                _newestRecord = new byte[Math.Max(record.Length, 2 * _newestRecord.Length)];
            }

            record.CopyTo(_newestRecord);
            _newestLength = record.Length;
            _newestSeparator = batch.Separator;
        }

        if (_layout.Hashed.Length > 0)
        {
            _trainRows.TryAdd(batch.RowHashes[_row], line, out _);
        }

        if (batch.HasGroup[_row])
        {
            _trainGroups.TryAdd(batch.GroupHashes[_row], line, out _);
        }
    }

    private void AddTestRow(long line, int[] map)
    {
        var batch = _batch!;
        if (_layout.Time >= 0 && Time(_options.TestPath, line, map) is { } time && _newest is { } newest && time.CompareTo(newest) < 0)
        {
            _older++;
            if (_older == 1)
            {
                _olderFirstLine = line;
            }

            if (_timeExamples.Count < _options.MaxExamples)
            {
                _timeExamples.Add(string.Create(CultureInfo.InvariantCulture, $"test line {line}: {RawField(map[_layout.Time])}"));
            }
        }

        if (_layout.Hashed.Length > 0)
        {
            var hash = batch.RowHashes[_row];
            var trainLine = _trainRows.Find(hash);
            if (trainLine >= 0)
            {
                _duplicates++;
                if (_duplicates == 1)
                {
                    _duplicateFirstLine = line;
                }

                if (_duplicateExamples.Count < _options.MaxExamples)
                {
                    _duplicateExamples.Add(string.Create(CultureInfo.InvariantCulture, $"test line {line} = train line {trainLine}: {LeakChecker.Example(batch.Fields(_row), map, (byte)',')}"));
                }
            }
            else if (!_testRows.TryAdd(hash, line, out var first))
            {
                _within++;
                if (_within == 1)
                {
                    _withinFirstLine = line;
                }

                if (_withinExamples.Count < _options.MaxExamples)
                {
                    _withinExamples.Add(string.Create(CultureInfo.InvariantCulture, $"test line {line} = test line {first}: {LeakChecker.Example(batch.Fields(_row), map, (byte)',')}"));
                }
            }
        }

        if (batch.HasGroup[_row])
        {
            var group = batch.GroupHashes[_row];
            _testGroups.TryAdd(group, line, out _);
            var trainLine = _trainGroups.Find(group);
            if (trainLine >= 0)
            {
                _groupRows++;
                if (_groupRows == 1)
                {
                    _groupFirstLine = line;
                }

                if (_sharedGroups.TryAdd(group, line, out _) && _groupExamples.Count < _options.MaxExamples)
                {
                    _groupExamples.Add(string.Create(CultureInfo.InvariantCulture, $"'{RawField(map[_layout.Group])}' (test line {line}, train line {trainLine})"));
                }
            }
        }
    }

    public LeakReport Report(LeakFileSummary train, LeakFileSummary test)
    {
        var findings = new List<Finding>();
        var notes = new List<string>();
        var testRows = Math.Max(test.Rows, 1);
        var excluded = Enumerable.Range(0, Columns.Length).Where(i => !_layout.Hashed.Contains(i)).Select(i => Columns[i]).ToList();
        if (_layout.Hashed.Length == 0)
        {
            notes.Add("L1.4 not checked: no feature columns left to compare once ids, ignored columns, target, group and time are set aside");
        }

        if (_duplicates > 0)
        {
            var share = (double)_duplicates / testRows;
            findings.Add(new Finding
            {
                RuleId = LeakRules.Duplicates.Id,
                Taxonomy = LeakRules.Duplicates.Taxonomy,
                Severity = SeverityFor(share),
                Path = test.Path,
                Line = (int)Math.Min(_duplicateFirstLine, int.MaxValue),
                Message = string.Create(CultureInfo.InvariantCulture, $"{_duplicates} of {test.Rows} test rows ({Percent(share)}) also occur in train, compared on {_layout.Hashed.Length} column{(_layout.Hashed.Length == 1 ? string.Empty : "s")}{(excluded.Count > 0 ? $" (not on {string.Join(", ", excluded)})" : string.Empty)}: the test score partly measures memorisation"),
                Figures = new Dictionary<string, double> { ["count"] = _duplicates, ["share"] = share, ["test_rows"] = test.Rows, ["columns_compared"] = _layout.Hashed.Length },
                Examples = [.. _duplicateExamples],
            });
        }

        if (_within > 0)
        {
            var share = (double)_within / testRows;
            findings.Add(new Finding
            {
                RuleId = LeakRules.Duplicates.Id,
                Taxonomy = LeakRules.Duplicates.Taxonomy,
                Severity = Severity.Note,
                Path = test.Path,
                Line = (int)Math.Min(_withinFirstLine, int.MaxValue),
                Message = string.Create(CultureInfo.InvariantCulture, $"{_within} test rows ({Percent(share)}) repeat an earlier test row (and are not in train): they weigh those cases more in the test score"),
                Figures = new Dictionary<string, double> { ["count"] = _within, ["share"] = share, ["test_rows"] = test.Rows, ["within_test"] = 1 },
                Examples = [.. _withinExamples],
            });
        }

        if (_layout.Group >= 0 && _sharedGroups.Count > 0)
        {
            var share = (double)_groupRows / testRows;
            var name = Columns[_layout.Group];
            findings.Add(new Finding
            {
                RuleId = LeakRules.Groups.Id,
                Taxonomy = LeakRules.Groups.Taxonomy,
                Severity = SeverityFor(share),
                Path = test.Path,
                Line = (int)Math.Min(_groupFirstLine, int.MaxValue),
                Message = string.Create(CultureInfo.InvariantCulture, $"{_sharedGroups.Count} of {_testGroups.Count} '{name}' values in test also occur in train ({_groupRows} test rows, {Percent(share)}): rows of one group are not independent; split by '{name}' (e.g. GroupKFold)"),
                Figures = new Dictionary<string, double> { ["groups_shared"] = _sharedGroups.Count, ["test_groups"] = _testGroups.Count, ["train_groups"] = _trainGroups.Count, ["test_rows"] = _groupRows, ["share"] = share },
                Examples = [.. _groupExamples],
            });
        }

        if (_layout.Time >= 0)
        {
            if (_newest is null)
            {
                notes.Add($"L3.1 not checked: '{Columns[_layout.Time]}' has no values in {train.Path}");
            }
            else if (_older > 0)
            {
                var share = (double)_older / testRows;
                var newestFields = CsvRecordReader.SplitRecord(_newestRecord.AsSpan(0, _newestLength), _newestSeparator);
                var newest = Encoding.UTF8.GetString(CellNormalizer.Trim(newestFields[_layout.Time]));
                findings.Add(new Finding
                {
                    RuleId = LeakRules.Temporal.Id,
                    Taxonomy = LeakRules.Temporal.Taxonomy,
                    Severity = SeverityFor(share),
                    Path = test.Path,
                    Line = (int)Math.Min(_olderFirstLine, int.MaxValue),
                    Message = string.Create(CultureInfo.InvariantCulture, $"{_older} of {test.Rows} test rows ({Percent(share)}) are older than the newest train row ('{Columns[_layout.Time]}' {newest}, train line {_newestLine}): the model is trained on the future of part of its test set"),
                    Figures = new Dictionary<string, double> { ["count"] = _older, ["share"] = share, ["test_rows"] = test.Rows, ["newest_train"] = _newest.Value.Figure },
                    Examples = [.. _timeExamples],
                });
            }

            if (_timeMissing > 0)
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"'{Columns[_layout.Time]}' is missing in {_timeMissing} rows; they were not compared in time"));
            }
        }

        var proxies = Proxies(train.Path, notes);
        foreach (var proxy in proxies.Where(p => p.Flagged))
        {
            var what = proxy.Statistic == "auc" ? "ROC AUC" : "normalised mutual information";
            findings.Add(new Finding
            {
                RuleId = LeakRules.Proxies.Id,
                Taxonomy = LeakRules.Proxies.Taxonomy,
                Severity = Severity.Warning,
                Path = train.Path,
                Message = string.Create(CultureInfo.InvariantCulture, $"feature '{proxy.Column}' alone gives {what} {proxy.Value:0.###} for '{Columns[_layout.Target]}' on train ({proxy.Method}): is it known before the outcome?"),
                Figures = new Dictionary<string, double> { [proxy.Statistic] = proxy.Value, ["threshold"] = proxy.Statistic == "auc" ? _thresholds.Auc : _thresholds.Nmi, ["rows"] = proxy.Rows },
            });
        }

        var shifts = Shifts(notes);
        foreach (var shift in shifts.Where(s => s.Flagged))
        {
            var what = shift.Statistic == "ks" ? "Kolmogorov–Smirnov statistic" : "total-variation distance";
            findings.Add(new Finding
            {
                RuleId = LeakRules.Shift.Id,
                Taxonomy = LeakRules.Shift.Taxonomy,
                Severity = Severity.Warning,
                Path = test.Path,
                Message = string.Create(CultureInfo.InvariantCulture, $"feature '{shift.Column}' is distributed differently in test than in train: {what} {shift.Value:0.###} (threshold {_thresholds.Shift:0.###}, p {FormatP(shift.PValue)}; {shift.Method})"),
                Figures = new Dictionary<string, double> { [shift.Statistic] = shift.Value, ["threshold"] = _thresholds.Shift, ["p_value"] = shift.PValue, ["train_values"] = shift.TrainValues, ["test_values"] = shift.TestValues },
            });
        }

        return new LeakReport
        {
            Findings = findings,
            Summary = new LeakSummary
            {
                Train = train,
                Test = test,
                Columns = Columns,
                ComparedColumns = [.. _layout.Hashed.Select(i => Columns[i])],
                Features = [.. _layout.Features.Select(i => Columns[i])],
                Target = _layout.Target >= 0 ? Columns[_layout.Target] : null,
                Group = _layout.Group >= 0 ? Columns[_layout.Group] : null,
                Time = _layout.Time >= 0 ? Columns[_layout.Time] : null,
                TargetClasses = _layout.Target >= 0 && !_classes.Overflowed ? _classes.Names : null,
                Shift = [.. shifts.OrderByDescending(s => s.Flagged).ThenByDescending(s => s.Value).ThenBy(s => s.Column, StringComparer.Ordinal).Take(Math.Max(5, shifts.Count(s => s.Flagged)))],
                Proxies = [.. proxies.OrderByDescending(p => p.Flagged).ThenByDescending(p => p.Value).ThenBy(p => p.Column, StringComparer.Ordinal).Take(Math.Max(5, proxies.Count(p => p.Flagged)))],
                Notes = notes,
                Thresholds = _thresholds,
            },
        };
    }

    private static string Percent(double share) => share is > 0 and < 0.00001
        ? "< 0.001%"
        : (share * 100).ToString(share < 0.001 ? "0.###" : "0.#", CultureInfo.InvariantCulture) + "%";

    private static string FormatP(double p) => p < 1e-4 ? "< 0.0001" : p.ToString("0.####", CultureInfo.InvariantCulture);

    private Severity SeverityFor(double share) => share >= _thresholds.ErrorShare ? Severity.Error : Severity.Warning;

    private List<ProxyMeasure> Proxies(string trainPath, List<string> notes)
    {
        var result = new List<ProxyMeasure>();
        if (_layout.Target < 0)
        {
            return result;
        }

        var target = Columns[_layout.Target];
        if (_classes.Overflowed)
        {
            notes.Add($"L2 not checked: '{target}' has more than {TargetClassCap} distinct values in {trainPath}; the proxy check needs a categorical target");
            return result;
        }

        if (_classes.Count < 2)
        {
            notes.Add($"L2 not checked: '{target}' has {(_classes.Count == 0 ? "no values" : "one value")} in {trainPath}");
            return result;
        }

        var binary = _classes.Count == 2;
        var positive = binary ? _classes.PositiveOfTwo() : -1;
        foreach (var profile in _profiles)
        {
            if (profile.Numeric && binary && profile.Train.Count > 0)
            {
                var labels = profile.Train.Labels;
                var scores = new List<double>(labels.Length);
                var positives = new List<bool>(labels.Length);
                var values = profile.Train.ValueSpan;
                for (var k = 0; k < labels.Length; k++)
                {
                    if (labels[k] is 0 or 1)
                    {
                        scores.Add(values[k]);
                        positives.Add(labels[k] == positive);
                    }
                }

                var auc = LeakStatistics.RocAuc(scores.ToArray(), positives.ToArray());
                if (double.IsNaN(auc))
                {
                    continue;
                }

                var separation = Math.Max(auc, 1 - auc);
                var direction = string.Create(CultureInfo.InvariantCulture, $"higher values go with '{target}' = {_classes.Names[auc >= 0.5 ? positive : 1 - positive]}");
                result.Add(new ProxyMeasure
                {
                    Column = profile.Name,
                    Statistic = "auc",
                    Value = separation,
                    Rows = scores.Count,
                    Method = $"{direction}; {Method(profile.Train)}",
                    Flagged = separation >= _thresholds.Auc,
                });
            }
            else if (profile.Categories is { } categories && categories.Count > 0)
            {
                var table = categories.Values.Select(c => c.Classes).ToList();
                var rows = table.Sum(r => r.Sum());
                if (rows == 0)
                {
                    continue;
                }

                var nmi = LeakStatistics.NormalizedMutualInformation(table);
                result.Add(new ProxyMeasure
                {
                    Column = profile.Name,
                    Statistic = "nmi",
                    Value = nmi,
                    Rows = rows,
                    Method = string.Create(CultureInfo.InvariantCulture, $"{categories.Count} distinct values, exact"),
                    Flagged = nmi >= _thresholds.Nmi,
                });
            }
            else if (profile.Categories is null && !profile.Numeric)
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"L2 not checked for '{profile.Name}': more than {_thresholds.CategoryCap} distinct values (an identifier? pass it with --id)"));
            }
        }

        return result;
    }

    private List<ShiftMeasure> Shifts(List<string> notes)
    {
        var result = new List<ShiftMeasure>();
        foreach (var profile in _profiles)
        {
            if (profile.Numeric)
            {
                if (profile.Train.Count == 0 || profile.Test.Count == 0)
                {
                    continue;
                }

                var ks = LeakStatistics.KolmogorovSmirnov(profile.Train.Values(), profile.Test.Values());
                var p = LeakStatistics.KolmogorovSmirnovPValue(ks, profile.Train.Count, profile.Test.Count);
                result.Add(new ShiftMeasure
                {
                    Column = profile.Name,
                    Statistic = "ks",
                    Value = ks,
                    PValue = p,
                    TrainValues = profile.Train.Seen,
                    TestValues = profile.Test.Seen,
                    Method = profile.Train.Exact && profile.Test.Exact ? "exact" : $"{Method(profile.Train)} in train, {Method(profile.Test)} in test",
                    Flagged = ks >= _thresholds.Shift && p < _thresholds.ShiftAlpha,
                });
            }
            else if (profile.Categories is { } categories)
            {
                var ordered = categories.Values.ToList();
                var a = ordered.Select(c => c.Train).ToList();
                var b = ordered.Select(c => c.Test).ToList();
                var tv = LeakStatistics.TotalVariation(a, b);
                if (double.IsNaN(tv))
                {
                    continue;
                }

                var p = LeakStatistics.ChiSquareHomogeneityPValue(a, b);
                result.Add(new ShiftMeasure
                {
                    Column = profile.Name,
                    Statistic = "tv",
                    Value = tv,
                    PValue = p,
                    TrainValues = profile.TrainPresent,
                    TestValues = profile.TestPresent,
                    Method = string.Create(CultureInfo.InvariantCulture, $"{categories.Count} distinct values, exact"),
                    Flagged = tv >= _thresholds.Shift && p < _thresholds.ShiftAlpha,
                });
            }
            else
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"L3.3 not checked for '{profile.Name}': more than {_thresholds.CategoryCap} distinct values (an identifier? pass it with --id)"));
            }
        }

        return result;
    }

    private string Method(ReservoirSample sample) => sample.Exact
        ? string.Create(CultureInfo.InvariantCulture, $"exact, {sample.Seen} values")
        : string.Create(CultureInfo.InvariantCulture, $"reservoir sample of {sample.Count} of {sample.Seen} values, seed {_thresholds.Seed}");

    private CellKind Kind(int column) => _batch!.Kinds[_base + column];

    private double Number(int column) => _batch!.Numbers[_base + column];

    private ReadOnlySpan<byte> Text(int column) => _batch!.Text(_base + column);

    // The current row's field as written, trimmed (slow: for examples and messages).
    private string RawField(int field) => Encoding.UTF8.GetString(CellNormalizer.Trim(_batch!.Fields(_row)[field]));

    private TimeValue? Time(string path, long line, int[] map)
    {
        var c = _layout.Time;
        if (Kind(c) == CellKind.Missing)
        {
            _timeMissing++;
            return null;
        }

        if (!_batch!.TimeParsed[_row])
        {
            throw ReproException.Usage(string.Create(CultureInfo.InvariantCulture, $"{path}: line {line}: --time column '{Columns[c]}' has '{Encoding.UTF8.GetString(Text(c))}', neither an ISO-8601 date/time nor a number"));
        }

        var value = _batch.Times[_row];
        if (_newest is { } newest && newest.IsDate != value.IsDate)
        {
            throw ReproException.Usage(string.Create(CultureInfo.InvariantCulture, $"{path}: line {line}: --time column '{Columns[c]}' has '{RawField(map[c])}', a {(value.IsDate ? "date" : "number")}, but earlier values were {(newest.IsDate ? "dates" : "numbers")}"));
        }

        return value;
    }
}
