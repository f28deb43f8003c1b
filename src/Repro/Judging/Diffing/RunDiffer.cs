using System.Globalization;
using System.Text;
using Repro.Blobs.Storage;
using Repro.Model;
using Repro.Model.Verdicts;

namespace Repro.Judging.Diffing;

/// <summary>
/// Compares two manifests pillar by pillar and ranks the likely causes of a changed result:
/// data &gt; code &gt; params &gt; seed &gt; packages &gt; hardware &gt; threads &gt; other variables.
/// </summary>
public sealed class RunDiffer
{
    private readonly ContentCache? _cache;
    private readonly PrintedJudge? _printed;

    /// <param name="printed">Given, what the two runs printed (stdout, stderr) is compared too.</param>
    public RunDiffer(ContentCache? cache, PrintedJudge? printed = null)
    {
        _cache = cache;
        _printed = printed;
    }

    public async Task<RunDifference> DiffAsync(RunManifest a, RunManifest b, CancellationToken cancellationToken)
    {
        var code = await DiffCodeAsync(a.Code, b.Code, cancellationToken);
        var data = DiffArtifacts(a.Deps, b.Deps);
        var parameters = DiffMaps(a.Params, b.Params);
        var command = a.Execution.Argv.SequenceEqual(b.Execution.Argv, StringComparer.Ordinal)
            ? []
            : new List<Difference> { new("command", Quote(a.Execution.Argv), Quote(b.Execution.Argv)) };
        Difference? seed = a.Seed == b.Seed && a.Seed is not null ? null : new Difference("seed", Text(a.Seed), Text(b.Seed));
        var packages = DiffPackages(a.Environment, b.Environment);
        var hardware = DiffHardware(a.Environment, b.Environment);
        var (threads, env) = DiffVariables(a, b);
        var outputs = DiffArtifacts(a.Outputs, b.Outputs);
        var metrics = DiffMetrics(a.Metrics.Values, b.Metrics.Values);
        var printed = new List<PrintedJudgement>();
        if (_printed is not null)
        {
            printed.Add(await _printed.JudgeAsync("stdout", a.Execution.Stdout, b.Execution.Stdout, cancellationToken));
            printed.Add(await _printed.JudgeAsync("stderr", a.Execution.Stderr, b.Execution.Stderr, cancellationToken));
        }

        var causes = new List<Cause>();
        foreach (var d in data)
        {
            causes.Add(new Cause(CausePillar.Data, $"input {d.Key} differs: {Short(d.A)} → {Short(d.B)}"));
        }

        if (!code.Same)
        {
            var what = code.CommitA != code.CommitB ? $"commit {Short(code.CommitA)} → {Short(code.CommitB)}" : "uncommitted changes differ";
            var files = code.ChangedFiles.Count > 0 ? $" ({string.Join(", ", code.ChangedFiles.Take(5))}{(code.ChangedFiles.Count > 5 ? ", …" : string.Empty)})" : string.Empty;
            causes.Add(new Cause(CausePillar.Code, $"code differs: {what}{files}"));
        }

        foreach (var d in command)
        {
            causes.Add(new Cause(CausePillar.Params, $"command line differs: {d.A} → {d.B}"));
        }

        foreach (var d in parameters)
        {
            causes.Add(new Cause(CausePillar.Params, $"param {d.Key}: {d.A ?? "(absent)"} → {d.B ?? "(absent)"}"));
        }

        if (a.Seed != b.Seed)
        {
            causes.Add(new Cause(CausePillar.Seed, $"seed {Text(a.Seed)} → {Text(b.Seed)}"));
        }
        else if (a.Seed is null)
        {
            causes.Add(new Cause(CausePillar.Seed, "no seed was set (seed null): unseeded randomness can change every result; record the run with --seed N"));
        }

        if (packages.Count > 0)
        {
            causes.Add(new Cause(CausePillar.Packages, "package versions differ: " + string.Join(", ", packages.Take(8).Select(p => $"{p.Key} {p.A ?? "(absent)"} → {p.B ?? "(absent)"}")) + (packages.Count > 8 ? $", and {packages.Count - 8} more" : string.Empty)));
        }

        if (hardware.Count > 0)
        {
            causes.Add(new Cause(CausePillar.Hardware, "hardware or platform differs: " + string.Join("; ", hardware.Select(h => $"{h.Key} {h.A ?? "?"} → {h.B ?? "?"}"))));
        }

        if (threads.Count > 0)
        {
            causes.Add(new Cause(CausePillar.Threads, "thread settings differ: " + string.Join(", ", threads.Select(t => $"{t.Key} {t.A ?? "(unset)"} → {t.B ?? "(unset)"}"))));
        }

        if (env.Count > 0)
        {
            causes.Add(new Cause(CausePillar.Env, "environment variables differ: " + string.Join(", ", env.Take(8).Select(t => $"{t.Key} {t.A ?? "(unset)"} → {t.B ?? "(unset)"}"))));
        }

        return new RunDifference
        {
            A = a.Id,
            B = b.Id,
            Code = code,
            Data = data,
            Params = parameters,
            Seed = seed,
            Packages = packages,
            Hardware = hardware,
            Threads = threads,
            Env = env,
            Command = command,
            Outputs = outputs,
            Metrics = metrics,
            Printed = printed,
            Causes = causes,
            PillarsSame = code.Same && data.Count == 0 && parameters.Count == 0 && command.Count == 0 && a.Seed == b.Seed
                && packages.Count == 0 && hardware.Count == 0 && threads.Count == 0 && env.Count == 0,
        };
    }

    private async Task<CodeDifference> DiffCodeAsync(CodeSnapshot a, CodeSnapshot b, CancellationToken cancellationToken)
    {
        var snapshotA = a.Diff?.Sha256 ?? a.Tree?.Sha256;
        var snapshotB = b.Diff?.Sha256 ?? b.Tree?.Sha256;
        var same = a.Kind == b.Kind && a.Commit == b.Commit && snapshotA == snapshotB;
        var changed = new SortedSet<string>(StringComparer.Ordinal);
        if (!same && a.Kind == "git" && b.Kind == "git")
        {
            var patchA = await ReadPatchAsync(a.Diff, cancellationToken);
            var patchB = await ReadPatchAsync(b.Diff, cancellationToken);
            foreach (var path in patchA.Keys.Union(patchB.Keys))
            {
                if (!patchA.TryGetValue(path, out var x) || !patchB.TryGetValue(path, out var y) || x != y)
                {
                    changed.Add(path);
                }
            }
        }
        else if (!same && a.Kind == "tree" && b.Kind == "tree")
        {
            var listA = await ReadListingAsync(a.Tree, cancellationToken);
            var listB = await ReadListingAsync(b.Tree, cancellationToken);
            foreach (var path in listA.Keys.Union(listB.Keys))
            {
                if (listA.GetValueOrDefault(path) != listB.GetValueOrDefault(path))
                {
                    changed.Add(path);
                }
            }
        }

        return new CodeDifference
        {
            Same = same,
            CommitA = a.Commit,
            CommitB = b.Commit,
            SnapshotA = snapshotA,
            SnapshotB = snapshotB,
            ChangedFiles = changed.ToList(),
        };
    }

    /// <summary>Splits a git patch into per-file sections ("diff --git a/X b/X").</summary>
    internal static Dictionary<string, string> SplitPatch(string patch)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        string? current = null;
        var text = new StringBuilder();
        foreach (var line in patch.Split('\n'))
        {
            if (line.StartsWith("diff --git ", StringComparison.Ordinal))
            {
                if (current is not null)
                {
                    result[current] = text.ToString();
                }

                var bPart = line.LastIndexOf(" b/", StringComparison.Ordinal);
                current = bPart > 0 ? line[(bPart + 3)..] : line;
                text.Clear();
            }

            text.Append(line).Append('\n');
        }

        if (current is not null)
        {
            result[current] = text.ToString();
        }

        return result;
    }

    private async Task<Dictionary<string, string>> ReadPatchAsync(BlobRef? blob, CancellationToken cancellationToken)
    {
        if (blob is null || _cache is null || !_cache.Contains(blob.Sha256))
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        return SplitPatch(Encoding.UTF8.GetString(await _cache.ReadAllBytesAsync(blob.Sha256, cancellationToken)));
    }

    private async Task<Dictionary<string, string>> ReadListingAsync(BlobRef? blob, CancellationToken cancellationToken)
    {
        if (blob is null || _cache is null || !_cache.Contains(blob.Sha256))
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        var entries = await DirectoryListing.ReadAsync(_cache, blob.Sha256, cancellationToken);
        return entries.ToDictionary(e => e.Path, e => e.Sha256, StringComparer.Ordinal);
    }

    private static List<Difference> DiffArtifacts(IReadOnlyList<ArtifactRecord> a, IReadOnlyList<ArtifactRecord> b)
    {
        var byPathA = a.GroupBy(x => x.Path).ToDictionary(g => g.Key, g => g.First().Sha256, StringComparer.Ordinal);
        var byPathB = b.GroupBy(x => x.Path).ToDictionary(g => g.Key, g => g.First().Sha256, StringComparer.Ordinal);
        return byPathA.Keys.Union(byPathB.Keys).Order(StringComparer.Ordinal)
            .Where(p => byPathA.GetValueOrDefault(p) != byPathB.GetValueOrDefault(p) || byPathA.ContainsKey(p) != byPathB.ContainsKey(p))
            .Select(p => new Difference(p, byPathA.TryGetValue(p, out var x) ? x ?? "(missing)" : null, byPathB.TryGetValue(p, out var y) ? y ?? "(missing)" : null))
            .ToList();
    }

    private static List<Difference> DiffMaps(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Keys.Union(b.Keys).Order(StringComparer.Ordinal)
            .Where(k => a.GetValueOrDefault(k) != b.GetValueOrDefault(k))
            .Select(k => new Difference(k, a.GetValueOrDefault(k), b.GetValueOrDefault(k)))
            .ToList();

    private static List<Difference> DiffPackages(EnvironmentSnapshot a, EnvironmentSnapshot b)
    {
        var result = new List<Difference>();
        if (a.Python?.Version != b.Python?.Version)
        {
            result.Add(new Difference("python", a.Python?.Version, b.Python?.Version));
        }

        result.AddRange(DiffMaps(
            a.Python?.Packages ?? new Dictionary<string, string>(),
            b.Python?.Packages ?? new Dictionary<string, string>()));
        return result;
    }

    private static List<Difference> DiffHardware(EnvironmentSnapshot a, EnvironmentSnapshot b)
    {
        var fields = new (string Key, Func<EnvironmentSnapshot, string?> Read)[]
        {
            ("architecture", e => e.Architecture),
            ("cpu", e => e.Cpu?.Model),
            ("cpu flags", e => e.Cpu is null ? null : string.Join(",", e.Cpu.Flags)),
            ("logical cores", e => e.Cpu?.LogicalCores.ToString(CultureInfo.InvariantCulture)),
            ("gpu", e => e.Gpu.Present ? string.Join(", ", e.Gpu.Devices.Select(d => d.Name)) : "none"),
            ("gpu driver", e => e.Gpu.Driver),
            ("cuda", e => e.Gpu.Cuda),
            ("os", e => e.Os?.Name),
            ("kernel", e => e.Kernel),
            ("executor", e => e.Executor?.Name ?? "local"),
        };
        return fields
            .Where(f => f.Read(a) != f.Read(b))
            .Select(f => new Difference(f.Key, f.Read(a), f.Read(b)))
            .ToList();
    }

    private static (List<Difference> Threads, List<Difference> Env) DiffVariables(RunManifest a, RunManifest b)
    {
        var threads = new List<Difference>();
        var env = new List<Difference>();
        var va = a.Environment.Variables;
        var vb = b.Environment.Variables;
        foreach (var name in va.Keys.Union(vb.Keys).Order(StringComparer.Ordinal))
        {
            var x = va.GetValueOrDefault(name);
            var y = vb.GetValueOrDefault(name);
            if (x == y || name.StartsWith("REPRO_", StringComparison.Ordinal) || name == "PYTHONHASHSEED")
            {
                continue;
            }

            var isThreads = name.EndsWith("_NUM_THREADS", StringComparison.Ordinal) || name is "MKL_CBWR" or "MKL_DYNAMIC" or "OMP_DYNAMIC";
            (isThreads ? threads : env).Add(new Difference(name, x, y));
        }

        var coresA = a.Environment.Cpu?.AvailableCores;
        var coresB = b.Environment.Cpu?.AvailableCores;
        if (coresA != coresB)
        {
            threads.Add(new Difference("available cores", Text(coresA), Text(coresB)));
        }

        return (threads, env);
    }

    private static List<MetricDifference> DiffMetrics(IReadOnlyDictionary<string, double> a, IReadOnlyDictionary<string, double> b) =>
        a.Keys.Union(b.Keys).Order(StringComparer.Ordinal)
            .Select(k =>
            {
                double? x = a.TryGetValue(k, out var va) ? va : null;
                double? y = b.TryGetValue(k, out var vb) ? vb : null;
                return new MetricDifference(k, x, y, x is { } p && y is { } q ? q - p : null);
            })
            .Where(m => m.A is null || m.B is null || !m.A.Value.Equals(m.B.Value))
            .ToList();

    private static string Text(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "null";

    private static string Text(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "?";

    private static string Short(string? hash) => hash is null ? "(absent)" : hash.Length > 12 ? hash[..12] : hash;

    private static string Quote(IEnumerable<string> argv) => string.Join(" ", argv);
}
