namespace Repro.Capture.Probe;

/// <summary>
/// The variables that load the probe into a Python command, and how to take them back out: the
/// environment pillar records the user's own PYTHONPATH, so runs with and without the probe compare.
/// </summary>
public static class ProbeEnvironment
{
    /// <summary>The probe folder put first on PYTHONPATH.</summary>
    public const string Directory = "REPRO_PROBE_DIR";

    /// <summary>The trace file every Python process of the run appends to.</summary>
    public const string Trace = "REPRO_PROBE_TRACE";

    public const string Seed = "REPRO_PROBE_SEED";

    public const string Every = "REPRO_PROBE_EVERY";

    public const string Prefix = "REPRO_PROBE_";

    /// <summary><paramref name="environment"/> plus the probe: its folder first on PYTHONPATH, the trace file, the seed and the step interval.</summary>
    public static Dictionary<string, string> With(IReadOnlyDictionary<string, string> environment, string folder, string trace, long? seed, int every)
    {
        var result = new Dictionary<string, string>(environment.ToDictionary(), StringComparer.Ordinal);
        result["PYTHONPATH"] = environment.TryGetValue("PYTHONPATH", out var path) && path.Length > 0 ? folder + Path.PathSeparator + path : folder;
        result[Directory] = folder;
        result[Trace] = trace;
        result[Every] = every.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (seed is { } value)
        {
            result[Seed] = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            result.Remove(Seed);
        }

        return result;
    }

    /// <summary>The environment as it was before <see cref="With"/>: the probe's variables gone, its folder off PYTHONPATH.</summary>
    public static Dictionary<string, string> Without(IEnumerable<KeyValuePair<string, string>> environment)
    {
        var list = environment.ToList();
        var folder = list.FirstOrDefault(p => p.Key == Directory).Value;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in list)
        {
            if (key.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (key == "PYTHONPATH" && folder is not null)
            {
                var rest = string.Join(Path.PathSeparator, value.Split(Path.PathSeparator).Where(p => p != folder));
                if (rest.Length > 0)
                {
                    result[key] = rest;
                }

                continue;
            }

            result[key] = value;
        }

        return result;
    }
}
