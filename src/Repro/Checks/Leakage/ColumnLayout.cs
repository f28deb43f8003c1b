namespace Repro.Checks.Leakage;

/// <summary>The role of every column, by index in the train header: what is hashed, what is a feature, and the special columns.</summary>
internal sealed record ColumnLayout
{
    public required int Target { get; init; }

    public required int Group { get; init; }

    public required int Time { get; init; }

    /// <summary>Columns a row's duplicate hash covers: the features.</summary>
    public required int[] Hashed { get; init; }

    /// <summary>Columns measured for proxies and shift.</summary>
    public required int[] Features { get; init; }

    /// <summary>Every column that is read at all (ids and ignored columns are not).</summary>
    public required bool[] Used { get; init; }

    public static ColumnLayout Resolve(string[] columns, LeakOptions options)
    {
        int Find(string flag, string name)
        {
            var index = Array.IndexOf(columns, name);
            if (index < 0)
            {
                var shown = string.Join(", ", columns.Take(20)) + (columns.Length > 20 ? ", …" : string.Empty);
                throw ReproException.Usage($"{flag} '{name}' is not a column of {options.TrainPath} (columns: {shown})");
            }

            return index;
        }

        var target = options.Target is null ? -1 : Find("--target", options.Target);
        var group = options.Group is null ? -1 : Find("--group", options.Group);
        var time = options.Time is null ? -1 : Find("--time", options.Time);
        var ids = options.Ids.Select(n => Find("--id", n)).ToHashSet();
        var ignored = options.Ignore.Select(n => Find("--ignore", n)).ToHashSet();
        foreach (var (flag, index) in new[] { ("--group", group), ("--time", time) })
        {
            if (index >= 0 && index == target)
            {
                throw ReproException.Usage($"{flag} '{columns[index]}' is also the --target");
            }
        }

        if (target >= 0 && (ids.Contains(target) || ignored.Contains(target)))
        {
            throw ReproException.Usage($"--target '{columns[target]}' is also given as --id or --ignore");
        }

        // Duplicates are judged on what a model sees: the features. Group and time are split
        // metadata with their own checks; a row repeated at another time is still the same example.
        var features = Enumerable.Range(0, columns.Length).Where(i => i != target && i != group && i != time && !ids.Contains(i) && !ignored.Contains(i)).ToArray();
        var hashed = features;
        var used = new bool[columns.Length];
        foreach (var i in hashed)
        {
            used[i] = true;
        }

        if (target >= 0)
        {
            used[target] = true;
        }

        foreach (var i in new[] { group, time }.Where(i => i >= 0))
        {
            used[i] = true;
        }

        return new ColumnLayout { Target = target, Group = group, Time = time, Hashed = hashed, Features = features, Used = used };
    }
}
