using System.Globalization;
using Repro.Capture.Probe;
using Repro.Model;
using Repro.Model.Verdicts;

namespace Repro.Judging.Diffing;

/// <summary>
/// Compares two runs' probe traces: the first divergence (walking each process's calls in the
/// order they completed, so a call made inside another comes before it) and the estimator
/// parameters that differ, a changed default marked as such. Pure: values in, values out.
/// </summary>
public static class TraceComparer
{
    private static readonly Dictionary<string, string> RngNames = new(StringComparer.Ordinal)
    {
        ["numpy"] = "NumPy's global RNG",
        ["random"] = "Python's random module",
        ["torch"] = "PyTorch's default generator",
    };

    /// <summary>
    /// The first call at which the traces part, or null when every traced call agrees.
    /// <paramref name="packages"/> are the distributions whose versions differ (name, A, B), to name a likely cause.
    /// </summary>
    public static FirstDivergence? FirstDivergence(ProbeTrace a, ProbeTrace b, IReadOnlyList<(string Name, string? A, string? B)> packages)
    {
        var processes = Math.Max(a.Record.Processes, b.Record.Processes);
        FirstDivergence? main = null;
        for (var process = 0; process < processes; process++)
        {
            var found = InProcess(a, b, process, packages);
            if (found is null)
            {
                continue;
            }

            if (process == 0)
            {
                main = found;
                if (!found.WalkedBack)
                {
                    return found;
                }
            }
            else if (main is null || !found.WalkedBack)
            {
                // The command's own calls agree, or they only received what a child computed differently.
                return found;
            }
        }

        return main;
    }

    /// <summary>Parameters of fitted estimators (matched by class) that differ between the runs.</summary>
    public static IReadOnlyList<EstimatorParameterDifference> EstimatorParameters(ProbeRecord a, ProbeRecord b)
    {
        var result = new List<EstimatorParameterDifference>();
        foreach (var estimatorA in a.Estimators.DistinctBy(e => e.Class))
        {
            if (b.Estimators.FirstOrDefault(e => e.Class == estimatorA.Class) is not { } estimatorB)
            {
                continue;
            }

            foreach (var name in estimatorA.Params.Keys.Union(estimatorB.Params.Keys).Order(StringComparer.Ordinal))
            {
                var valueA = estimatorA.Params.GetValueOrDefault(name);
                var valueB = estimatorB.Params.GetValueOrDefault(name);
                if (valueA == valueB)
                {
                    continue;
                }

                var changedDefault = estimatorA.Defaults.Contains(name) && estimatorB.Defaults.Contains(name)
                    && estimatorA.DefaultValues.GetValueOrDefault(name) != estimatorB.DefaultValues.GetValueOrDefault(name);
                result.Add(new EstimatorParameterDifference(estimatorA.Name, name, valueA, valueB, changedDefault));
            }
        }

        return result;
    }

    private static FirstDivergence? InProcess(ProbeTrace a, ProbeTrace b, int process, IReadOnlyList<(string Name, string? A, string? B)> packages)
    {
        var callsA = a.Calls.Where(c => c.Process == process).ToList();
        var callsB = b.Calls.Where(c => c.Process == process).ToList();
        for (var i = 0; i < Math.Min(callsA.Count, callsB.Count); i++)
        {
            var ca = callsA[i];
            var cb = callsB[i];
            if (ca.Label != cb.Label)
            {
                return new FirstDivergence
                {
                    Index = i,
                    Process = process,
                    Call = ca.Label,
                    Class = ca.Class,
                    Differed = [$"the call itself: {ca.Label} in the first run, {cb.Label} in the second"],
                    CauseKind = "different_calls",
                    Cause = "the runs took different paths through the script (different calls, or a different number of them)",
                    Summary = string.Create(CultureInfo.InvariantCulture, $"the runs part at traced call {i}: the first run called {ca.Label}, the second {cb.Label}"),
                };
            }

            var equal = new List<string>();
            var differing = new List<string>();
            var partial = false;
            foreach (var name in ca.Inputs.Select(p => p.Key).Union(cb.Inputs.Select(p => p.Key)))
            {
                var fa = ca.Inputs.FirstOrDefault(p => p.Key == name).Value;
                var fb = cb.Inputs.FirstOrDefault(p => p.Key == name).Value;
                partial |= fa?.Partial == true || fb?.Partial == true;
                (fa?.Sha256 == fb?.Sha256 ? equal : differing).Add(name);
            }

            var differed = new List<string>();
            if (ca.State is { } sa && cb.State is { } sb && sa.Sha256 != sb.Sha256)
            {
                var parts = sa.Parts.Where(p => sb.Parts.GetValueOrDefault(p.Key) != p.Value).Select(p => p.Key).ToList();
                differed.Add(parts.Count > 0 ? $"fitted state ({string.Join(", ", parts.Take(6))}{(parts.Count > 6 ? ", …" : string.Empty)})" : "fitted state");
                partial |= sa.Partial || sb.Partial;
            }

            for (var o = 0; o < Math.Max(ca.Outputs.Count, cb.Outputs.Count); o++)
            {
                var oa = o < ca.Outputs.Count ? ca.Outputs[o] : null;
                var ob = o < cb.Outputs.Count ? cb.Outputs[o] : null;
                partial |= oa?.Partial == true || ob?.Partial == true;
                if (oa?.Sha256 != ob?.Sha256)
                {
                    differed.Add(string.Create(CultureInfo.InvariantCulture, $"output {o}{Describe(oa ?? ob)}"));
                }
            }

            if (differed.Count == 0 && differing.Count == 0)
            {
                continue;
            }

            if (differing.Count == 0)
            {
                var (kind, cause) = LikelyCause(a, b, ca, process, packages);
                var inputs = equal.Count > 0 ? $"the inputs to {ca.Label} ({string.Join(", ", equal)}) were identical" : $"{ca.Label} had no traced inputs";
                return new FirstDivergence
                {
                    Index = i,
                    Process = process,
                    Call = ca.Label,
                    Class = ca.Class,
                    EqualInputs = equal,
                    Differed = differed,
                    CauseKind = kind,
                    Cause = cause,
                    Partial = partial,
                    Summary = $"{inputs}, its {string.Join(" and ", differed)} {(differed.Count == 1 ? "was" : "were")} not: {cause}{(partial ? " (some fingerprints are partial: only the first budget bytes were compared)" : string.Empty)}",
                };
            }

            // Inside a call whose own inputs were identical (a forest's trees get bootstrap weights
            // the forest drew): that enclosing call is where the runs parted.
            if (ca.Depth > 0 && Enclosing(callsA, callsB, i) is { } parent)
            {
                var (kind, cause) = LikelyCause(a, b, parent.A, process, packages);
                var parentEqual = parent.A.Inputs.Select(p => p.Key).ToList();
                var inside = $"inside it, {ca.Label} already received different {string.Join(", ", differing)}";
                return new FirstDivergence
                {
                    Index = parent.A.Position,
                    Process = process,
                    Call = parent.A.Label,
                    Class = parent.A.Class,
                    EqualInputs = parentEqual,
                    Differed = [.. Differences(parent.A, parent.B), inside],
                    CauseKind = kind,
                    Cause = cause,
                    Partial = partial,
                    Summary = $"the inputs to {parent.A.Label}{(parentEqual.Count > 0 ? $" ({string.Join(", ", parentEqual)})" : string.Empty)} were identical, but {inside}: {cause}",
                };
            }

            // The inputs already differed: walk back to the traced call that produced them.
            var producer = callsA.Take(i).LastOrDefault(c => c.Outputs.Any(o => differing.Any(d => ca.Inputs.FirstOrDefault(p => p.Key == d).Value?.Sha256 == o.Sha256)));
            var (untracedKind, untracedCause) = RngDiffers(a, b, process) is { } rng
                ? ("unseeded_rng", $"unseeded: {rng} started from a different state, and the script's own code used it")
                : ("untraced_input", "they were produced outside the traced calls (data loading, or the script's own code)");
            var from = producer is null
                ? untracedCause
                : $"they came from {producer.Label} (traced call {producer.Position}), whose outputs matched: the values were changed afterwards by code the probe does not trace";
            return new FirstDivergence
            {
                Index = i,
                Process = process,
                Call = ca.Label,
                Class = ca.Class,
                EqualInputs = equal,
                DifferingInputs = differing,
                Differed = differed,
                CauseKind = producer is null ? untracedKind : "untraced_input",
                Cause = from,
                WalkedBack = true,
                Partial = partial,
                Summary = $"the inputs to {ca.Label} ({string.Join(", ", differing)}) already differed: {from}",
            };
        }

        if (callsA.Count != callsB.Count)
        {
            var index = Math.Min(callsA.Count, callsB.Count);
            var extra = callsA.Count > callsB.Count ? callsA[index] : callsB[index];
            return new FirstDivergence
            {
                Index = index,
                Process = process,
                Call = extra.Label,
                Class = extra.Class,
                Differed = [string.Create(CultureInfo.InvariantCulture, $"the number of traced calls: {callsA.Count} in the first run, {callsB.Count} in the second")],
                CauseKind = "different_calls",
                Cause = "the runs took different paths through the script (or one stopped early)",
                Summary = string.Create(CultureInfo.InvariantCulture, $"every traced call agreed until one run made {extra.Label} (call {index}) and the other did not"),
            };
        }

        return null;
    }

    /// <summary>The innermost call around call <paramref name="i"/> (later, shallower) whose inputs were identical in both runs.</summary>
    private static (ProbeCall A, ProbeCall B)? Enclosing(List<ProbeCall> callsA, List<ProbeCall> callsB, int i)
    {
        var depth = callsA[i].Depth;
        for (var j = i + 1; j < Math.Min(callsA.Count, callsB.Count) && depth > 0; j++)
        {
            var (pa, pb) = (callsA[j], callsB[j]);
            if (pa.Depth >= depth || pa.Label != pb.Label)
            {
                continue;
            }

            depth = pa.Depth;
            var same = pa.Inputs.Count == pb.Inputs.Count && pa.Inputs.All(p => pb.Inputs.Any(q => q.Key == p.Key && q.Value.Sha256 == p.Value.Sha256));
            if (same)
            {
                return (pa, pb);
            }
        }

        return null;
    }

    private static List<string> Differences(ProbeCall a, ProbeCall b)
    {
        var result = new List<string>();
        if (a.State is { } sa && b.State is { } sb && sa.Sha256 != sb.Sha256)
        {
            var parts = sa.Parts.Where(p => sb.Parts.GetValueOrDefault(p.Key) != p.Value).Select(p => p.Key).Take(6).ToList();
            result.Add(parts.Count > 0 ? $"fitted state ({string.Join(", ", parts)})" : "fitted state");
        }

        for (var o = 0; o < Math.Min(a.Outputs.Count, b.Outputs.Count); o++)
        {
            if (a.Outputs[o].Sha256 != b.Outputs[o].Sha256)
            {
                result.Add(string.Create(CultureInfo.InvariantCulture, $"output {o}"));
            }
        }

        return result;
    }

    private static (string Kind, string Cause) LikelyCause(ProbeTrace a, ProbeTrace b, ProbeCall call, int process, IReadOnlyList<(string Name, string? A, string? B)> packages)
    {
        var unseeded = call.RandomState == "None" ? $" ({call.Call.Split('.')[0]} has random_state=None)" : string.Empty;
        var seedA = a.Record.Seeded.Where(s => s.Library == PreferredLibrary(call)).Select(s => (long?)s.Seed).FirstOrDefault();
        var seedB = b.Record.Seeded.Where(s => s.Library == PreferredLibrary(call)).Select(s => (long?)s.Seed).FirstOrDefault();
        if (seedA != seedB)
        {
            return ("seed", $"seeded differently: {Name(PreferredLibrary(call))} got {Text(seedA)} in the first run, {Text(seedB)} in the second");
        }

        var name = call.Call.Split('.')[0];
        var parameters = EstimatorParameters(a.Record, b.Record).Where(p => p.Estimator == name).ToList();
        if (parameters.FirstOrDefault(p => p.ChangedDefault) is { } changed)
        {
            return ("changed_default", $"a default that changed between library versions: {changed.Estimator}'s {changed.Parameter} defaulted to {changed.A} in the first run and to {changed.B} in the second");
        }

        if (parameters.Count > 0)
        {
            return ("parameter", $"{name}'s parameters differ: {string.Join(", ", parameters.Select(p => $"{p.Parameter} {p.A} → {p.B}"))}");
        }

        if (RngDiffers(a, b, process, PreferredLibrary(call)) is { } rng)
        {
            return ("unseeded_rng", $"unseeded: {rng} started from a different state{unseeded}");
        }

        var threadsA = string.Join(", ", a.Record.ThreadPools.Select(p => $"{p.Library} {p.Threads}"));
        var threadsB = string.Join(", ", b.Record.ThreadPools.Select(p => $"{p.Library} {p.Threads}"));
        if (threadsA != threadsB && a.Record.ThreadPools.Count > 0 && b.Record.ThreadPools.Count > 0)
        {
            return ("thread_count", $"the thread pools differ: {threadsA} in the first run, {threadsB} in the second");
        }

        if (packages.Count > 0)
        {
            return ("library_version", $"library versions differ: {string.Join(", ", packages.Take(5).Select(p => $"{p.Name} {p.A ?? "(none)"} → {p.B ?? "(none)"}"))}");
        }

        if (RngDiffers(a, b, process) is { } other)
        {
            return ("unseeded_rng", $"unseeded: {other} started from a different state{unseeded}");
        }

        return ("nondeterministic", "same inputs, parameters, RNG start and libraries: a non-deterministic computation (threaded or GPU reductions)");
    }

    /// <summary>The global RNG a call most likely draws from: PyTorch's for torch, NumPy's for the rest.</summary>
    private static string PreferredLibrary(ProbeCall call) => call.Class?.StartsWith("torch", StringComparison.Ordinal) == true ? "torch" : "numpy";

    private static string? RngDiffers(ProbeTrace a, ProbeTrace b, int process, string? library = null)
    {
        if (process >= a.RngStarts.Count || process >= b.RngStarts.Count)
        {
            return null;
        }

        var startsA = a.RngStarts[process];
        var startsB = b.RngStarts[process];
        IEnumerable<string> libraries = library is null ? startsA.Keys.Order(StringComparer.Ordinal) : [library];
        foreach (var lib in libraries)
        {
            if (startsA.TryGetValue(lib, out var stateA) && startsB.TryGetValue(lib, out var stateB) && stateA != stateB)
            {
                return Name(lib);
            }
        }

        return null;
    }

    private static string Name(string library) => RngNames.GetValueOrDefault(library, library);

    private static string Text(long? seed) => seed is { } s ? s.ToString(CultureInfo.InvariantCulture) : "no seed";

    private static string Describe(ProbeFingerprint? fingerprint) => fingerprint is null
        ? string.Empty
        : $" ({fingerprint.Kind}{(fingerprint.Dtype is null ? string.Empty : " " + fingerprint.Dtype)}{(fingerprint.Shape.Count > 0 ? " [" + string.Join(", ", fingerprint.Shape.Select(n => n.ToString(CultureInfo.InvariantCulture))) + "]" : string.Empty)})";
}
