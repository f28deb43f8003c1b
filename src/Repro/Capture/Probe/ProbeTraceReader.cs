using System.Text.Json;
using Repro.Model;

namespace Repro.Capture.Probe;

/// <summary>
/// Reads a probe trace (JSON lines written by the Python side, one event per line, many
/// processes appending to one file) into its summary and its calls. Bounded: at most
/// <see cref="MaxBytes"/> are read; a line that is not a whole event (a killed run's last) is counted, not fatal.
/// </summary>
public static class ProbeTraceReader
{
    /// <summary>Bytes of trace read at most (every process keeps its own events under 8 MiB).</summary>
    public const int MaxBytes = 64 << 20;

    /// <summary>Reads the trace at <paramref name="path"/>; an empty trace when the command wrote none.</summary>
    public static async Task<(byte[] Bytes, bool Truncated)> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return ([], false);
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, useAsync: true);
        var length = (int)Math.Min(stream.Length, MaxBytes);
        var bytes = new byte[length];
        await stream.ReadExactlyAsync(bytes, cancellationToken);
        return (bytes, stream.Length > MaxBytes);
    }

    public static ProbeTrace Parse(ReadOnlySpan<byte> bytes)
    {
        var processes = new Dictionary<long, int>();
        var positions = new List<int>();
        var calls = new List<ProbeCall>();
        var rng = new List<Dictionary<string, string>>();
        var seeded = new List<ProbeSeed>();
        var estimators = new List<ProbeEstimator>();
        var seenEstimators = new HashSet<string>(StringComparer.Ordinal);
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var warnings = new List<string>();
        List<ProbeThreadPool>? pools = null;
        var poolsProcess = int.MaxValue;
        ProbeTorch? torch = null;
        var torchProcess = int.MaxValue;
        long droppedEvents = 0, droppedBytes = 0, budget = 0;
        int events = 0, malformed = 0, partial = 0, every = ProbeSettings.DefaultEvery;

        while (bytes.Length > 0)
        {
            var end = bytes.IndexOf((byte)'\n');
            var line = end < 0 ? bytes : bytes[..end];
            bytes = end < 0 ? [] : bytes[(end + 1)..];
            if (line.IsEmpty)
            {
                continue;
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line.ToArray());
            }
            catch (JsonException)
            {
                malformed++;
                continue;
            }

            using (document)
            {
                var e = document.RootElement;
                if (e.ValueKind != JsonValueKind.Object || Text(e, "t") is not { } type)
                {
                    malformed++;
                    continue;
                }

                events++;
                var pid = Long(e, "pid") ?? 0;
                if (!processes.TryGetValue(pid, out var process))
                {
                    process = processes.Count;
                    processes[pid] = process;
                    positions.Add(0);
                    rng.Add(new Dictionary<string, string>(StringComparer.Ordinal));
                }

                switch (type)
                {
                    case "start":
                        every = process == 0 && Long(e, "every") is { } k ? (int)k : every;
                        budget = Math.Max(budget, Long(e, "budget") ?? 0);
                        break;
                    case "seed" when Text(e, "lib") is { } library && Long(e, "seed") is { } seed:
                        if (!seeded.Any(s => s.Library == library && s.Seed == seed))
                        {
                            seeded.Add(new ProbeSeed(library, seed));
                        }

                        break;
                    case "rng" when Text(e, "lib") is { } library && Text(e, "state") is { } state:
                        rng[process][library] = state;
                        break;
                    case "estimator":
                        var estimator = Estimator(e);
                        if (estimator is not null && seenEstimators.Add(estimator.Class + "\n" + string.Join("\n", estimator.Params.Select(p => p.Key + "=" + p.Value))))
                        {
                            estimators.Add(estimator);
                        }

                        break;
                    case "threads" when process <= poolsProcess:
                        pools = Pools(e);
                        poolsProcess = process;
                        break;
                    case "torch" when process <= torchProcess:
                        torch = Torch(e);
                        torchProcess = process;
                        break;
                    case "param" when Text(e, "key") is { } key:
                        parameters[key] = Scalar(e, "value") ?? string.Empty;
                        break;
                    case "warning" when Text(e, "msg") is { } message:
                        if (!warnings.Contains(message) && warnings.Count < 20)
                        {
                            warnings.Add(message);
                        }

                        break;
                    case "end":
                        droppedEvents += Long(e, "dropped_events") ?? 0;
                        droppedBytes += Long(e, "dropped_bytes") ?? 0;
                        break;
                    case "call" when Text(e, "call") is { } name:
                        var call = Call(e, name, process, positions[process]++);
                        partial += call.Inputs.Count(i => i.Value.Partial) + call.Outputs.Count(o => o.Partial) + (call.State?.Partial == true ? 1 : 0);
                        calls.Add(call);
                        break;
                    case "metric":
                        break;
                }
            }
        }

        return new ProbeTrace
        {
            Record = new ProbeRecord
            {
                Events = events,
                Calls = calls.Count,
                Processes = processes.Count,
                DroppedEvents = droppedEvents,
                DroppedBytes = droppedBytes,
                PartialFingerprints = partial,
                BudgetBytes = budget,
                Every = every,
                Seeded = seeded,
                RngStarts = FirstRngStarts(rng),
                Estimators = estimators,
                ThreadPools = pools ?? [],
                Torch = torch,
                Params = parameters,
            },
            Calls = calls,
            RngStarts = rng,
            Warnings = warnings,
            Malformed = malformed,
        };
    }

    /// <summary>
    /// Each library's start in the first process that imported it: the command's own, or for a
    /// command that only launches Python (jupyter nbconvert, a launcher script) the child that used it.
    /// </summary>
    private static List<ProbeRngStart> FirstRngStarts(List<Dictionary<string, string>> rng)
    {
        var first = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var process in rng)
        {
            foreach (var (library, state) in process)
            {
                first.TryAdd(library, state);
            }
        }

        return first.Select(p => new ProbeRngStart(p.Key, p.Value)).ToList();
    }

    private static ProbeCall Call(JsonElement e, string name, int process, int position)
    {
        var inputs = new List<KeyValuePair<string, ProbeFingerprint>>();
        if (e.TryGetProperty("in", out var given) && given.ValueKind == JsonValueKind.Object)
        {
            foreach (var input in given.EnumerateObject())
            {
                if (Fingerprint(input.Value) is { } fingerprint)
                {
                    inputs.Add(new(input.Name, fingerprint));
                }
            }
        }

        var outputs = new List<ProbeFingerprint>();
        if (e.TryGetProperty("out", out var produced) && produced.ValueKind == JsonValueKind.Array)
        {
            foreach (var output in produced.EnumerateArray())
            {
                if (Fingerprint(output) is { } fingerprint)
                {
                    outputs.Add(fingerprint);
                }
            }
        }

        return new ProbeCall
        {
            Process = process,
            Position = position,
            Call = name,
            Class = Text(e, "cls"),
            Depth = (int)(Long(e, "depth") ?? 0),
            Inputs = inputs,
            Outputs = outputs,
            State = e.TryGetProperty("state", out var state) ? Fingerprint(state) : null,
            RandomState = Scalar(e, "random_state"),
            Fold = Long(e, "fold") is { } fold ? (int)fold : null,
            Step = Long(e, "step") is { } step ? (int)step : null,
        };
    }

    private static ProbeFingerprint? Fingerprint(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object || Text(e, "sha256") is not { } sha)
        {
            return null;
        }

        var shape = new List<long>();
        if (e.TryGetProperty("shape", out var dims) && dims.ValueKind == JsonValueKind.Array)
        {
            shape.AddRange(dims.EnumerateArray().Where(d => d.ValueKind == JsonValueKind.Number).Select(d => d.TryGetInt64(out var n) ? n : 0));
        }

        var parts = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (e.TryGetProperty("parts", out var given) && given.ValueKind == JsonValueKind.Object)
        {
            foreach (var part in given.EnumerateObject())
            {
                parts[part.Name] = part.Value.ToString();
            }
        }

        return new ProbeFingerprint
        {
            Kind = Text(e, "k") ?? "object",
            Dtype = Text(e, "dtype"),
            Shape = shape,
            Sha256 = sha,
            Partial = e.TryGetProperty("partial", out var p) && p.ValueKind == JsonValueKind.True,
            Parts = parts,
            Opaque = Text(e, "opaque"),
        };
    }

    private static ProbeEstimator? Estimator(JsonElement e)
    {
        if (Text(e, "cls") is not { } cls)
        {
            return null;
        }

        return new ProbeEstimator
        {
            Class = cls,
            Name = Text(e, "name") ?? cls.Split('.')[^1],
            Params = Map(e, "params"),
            Defaults = e.TryGetProperty("defaults", out var defaults) && defaults.ValueKind == JsonValueKind.Array
                ? defaults.EnumerateArray().Select(d => d.ToString()).ToList()
                : [],
            DefaultValues = Map(e, "default_values"),
        };
    }

    private static List<ProbeThreadPool> Pools(JsonElement e)
    {
        var pools = new List<ProbeThreadPool>();
        if (e.TryGetProperty("pools", out var given) && given.ValueKind == JsonValueKind.Array)
        {
            foreach (var pool in given.EnumerateArray().Where(p => p.ValueKind == JsonValueKind.Object))
            {
                pools.Add(new ProbeThreadPool(Text(pool, "api"), Text(pool, "lib"), pool.TryGetProperty("version", out var version) && version.ValueKind != JsonValueKind.Null ? ScalarText(version) : null, Long(pool, "threads") is { } n ? (int)n : null, Text(pool, "path"), Text(pool, "source") ?? "maps"));
            }
        }

        return pools;
    }

    private static ProbeTorch Torch(JsonElement e) => new()
    {
        Version = Text(e, "version"),
        DeterministicAlgorithms = Bool(e, "deterministic_algorithms"),
        CudnnDeterministic = Bool(e, "cudnn_deterministic"),
        CudnnBenchmark = Bool(e, "cudnn_benchmark"),
        NumThreads = Long(e, "num_threads") is { } n ? (int)n : null,
        Cuda = Bool(e, "cuda"),
    };

    private static SortedDictionary<string, string> Map(JsonElement e, string name)
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (e.TryGetProperty(name, out var given) && given.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in given.EnumerateObject())
            {
                map[property.Name] = ScalarText(property.Value);
            }
        }

        return map;
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Scalar(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) ? ScalarText(value) : null;

    /// <summary>A parameter as Python writes it: strings bare, None/True/False as Python spells them, numbers as written.</summary>
    private static string ScalarText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Null => "None",
        JsonValueKind.True => "True",
        JsonValueKind.False => "False",
        JsonValueKind.Number => value.GetRawText(),
        _ => value.GetRawText(),
    };

    private static long? Long(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : null;

    private static bool Bool(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}
