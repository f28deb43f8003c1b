using System.Globalization;
using Repro.Blobs.Storage;
using Repro.Model;
using Repro.Model.Verdicts;
using Repro.Model.Workspaces;

namespace Repro.Checks.Checklist;

/// <summary>
/// Answers the reproducibility checklist for one run from what the store, the cache and the
/// workspace hold, item by item with the evidence used, and places the run on Gundersen's
/// R1–R4 scale. Reads only: nothing is run or changed.
/// </summary>
public sealed class ChecklistEvaluator(IRunStore store, ContentCache cache, Workspace workspace)
{
    public const string ChecksFolder = "checks";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public async Task<ChecklistResult> EvaluateAsync(StoredRun stored, CancellationToken cancellationToken)
    {
        var run = stored.Manifest;
        var items = new List<ChecklistItem>
        {
            Code(run),
            await DataAsync(run, cancellationToken),
            Environment(run),
            await DependenciesAsync(run, cancellationToken),
            Seed(run),
            Determinism(run),
            await ExternalAsync("lint", "Lint clean or findings acknowledged", "lint.json", run, "`repro lint` not run", cancellationToken),
            await ExternalAsync("leakage", "Leakage check run", "leak.json", run, "`repro leak` not run", cancellationToken),
            await SeedsAsync(run, cancellationToken),
        };
        items.AddRange(await VerifiedAsync(run, cancellationToken));
        items.Add(await TriedAsync(run, cancellationToken));

        bool Yes(string id) => items.First(i => i.Id == id).Status == CheckStatus.Yes;
        var code = Yes("code");
        var data = Yes("data");
        var environment = Yes("environment") && Yes("dependencies");
        var level = code && data && environment ? ReproducibilityLevel.R4 : data ? ReproducibilityLevel.R3 : code ? ReproducibilityLevel.R2 : ReproducibilityLevel.R1;

        var raise = new List<string>();
        void Need(string id, ReproducibilityLevel unlocks)
        {
            var item = items.First(i => i.Id == id);
            if (item.Status != CheckStatus.Yes)
            {
                raise.Add($"{ChecklistResult.NameOf(unlocks)}: {item.Title.ToLowerInvariant()} — {item.Fix ?? item.Evidence}");
            }
        }

        if (level < ReproducibilityLevel.R3)
        {
            Need("code", ReproducibilityLevel.R2);
        }

        Need("data", ReproducibilityLevel.R3);
        if (level >= ReproducibilityLevel.R3)
        {
            Need("code", ReproducibilityLevel.R4);
        }

        Need("environment", ReproducibilityLevel.R4);
        Need("dependencies", ReproducibilityLevel.R4);

        return new ChecklistResult
        {
            Run = run.Id,
            RunDigest = stored.Digest,
            Items = items,
            Level = level,
            LevelName = ChecklistResult.NameOf(level),
            ToRaise = level == ReproducibilityLevel.R4 ? [] : raise.Distinct(StringComparer.Ordinal).ToList(),
        };
    }

    private static ChecklistItem Item(string id, string title, CheckStatus status, string evidence, string? fix = null) =>
        new() { Id = id, Title = title, Status = status, Evidence = evidence, Fix = status == CheckStatus.Yes ? null : fix };

    private static string Short(string? sha) => sha is null ? "-" : sha[..Math.Min(12, sha.Length)];

    private ChecklistItem Code(RunManifest run)
    {
        const string Title = "Code under version control, clean or diff recorded";
        var code = run.Code;
        if (code.Kind != "git")
        {
            return Item("code", Title, CheckStatus.Partial, string.Create(Invariant, $"not under version control: a listing of {code.FileCount ?? 0} files was hashed (tree {Short(code.Tree?.Sha256)})"), "commit the code to git and record the run again");
        }

        var commit = $"git commit {Short(code.Commit)}{(code.Branch is null ? string.Empty : $" on {code.Branch}")}";
        if (code.Commit is null)
        {
            return Item("code", Title, CheckStatus.No, "a git repository without a commit", "commit the code and record the run again");
        }

        if (!code.Dirty)
        {
            return Item("code", Title, CheckStatus.Yes, $"{commit}, working tree clean");
        }

        if (code.Diff is null)
        {
            return Item("code", Title, CheckStatus.No, $"{commit} with uncommitted changes and no recorded patch", "commit the changes and record the run again");
        }

        if (!cache.Contains(code.Diff.Sha256))
        {
            return Item("code", Title, CheckStatus.Partial, $"{commit} plus a patch {Short(code.Diff.Sha256)} that is missing from the cache", "restore the cache or record the run again");
        }

        if (code.NotCaptured.Count > 0)
        {
            return Item("code", Title, CheckStatus.Partial, string.Create(Invariant, $"{commit} plus a recorded patch; {code.NotCaptured.Count} file(s) left out: {string.Join(", ", code.NotCaptured.Take(3).Select(f => $"{f.Path} ({f.Status})"))}"), "commit the files left out of the patch");
        }

        return Item("code", Title, CheckStatus.Yes, string.Create(Invariant, $"{commit} plus a recorded patch of {code.Changes.Count} uncommitted change(s) (sha256 {Short(code.Diff.Sha256)})"));
    }

    private async Task<ChecklistItem> DataAsync(RunManifest run, CancellationToken cancellationToken)
    {
        const string Title = "Data hashed, every blob present in the cache";
        if (run.Deps.Count == 0)
        {
            return Item("data", Title, CheckStatus.Partial, "no inputs declared: nothing to recover", "declare every input with --dep");
        }

        var missing = new List<string>();
        var unhashed = new List<string>();
        var blobs = 0;
        foreach (var dep in run.Deps)
        {
            if (dep.Sha256 is null)
            {
                unhashed.Add(dep.Path);
                continue;
            }

            blobs++;
            if (!cache.Contains(dep.Sha256))
            {
                missing.Add($"{dep.Path} ({Short(dep.Sha256)})");
            }
            else if (dep.Kind == ArtifactKind.Dir)
            {
                foreach (var entry in await DirectoryListing.ReadAsync(cache, dep.Sha256, cancellationToken))
                {
                    blobs++;
                    if (!cache.Contains(entry.Sha256))
                    {
                        missing.Add($"{dep.Path}/{entry.Path} ({Short(entry.Sha256)})");
                    }
                }
            }
        }

        if (unhashed.Count > 0)
        {
            return Item("data", Title, CheckStatus.No, $"not hashed (missing when recorded): {string.Join(", ", unhashed)}", "record the run with every input present");
        }

        if (missing.Count > 0)
        {
            return Item("data", Title, CheckStatus.Partial, string.Create(Invariant, $"{run.Deps.Count} input(s) hashed; {missing.Count} of {blobs} blobs missing from the cache: {string.Join(", ", missing.Take(3))}"), "restore the missing blobs into .repro/cache");
        }

        return Item("data", Title, CheckStatus.Yes, string.Create(Invariant, $"{run.Deps.Count} input(s) hashed with SHA-256 ({string.Join(", ", run.Deps.Take(3).Select(d => $"{d.Path} {Short(d.Sha256)}"))}), all {blobs} blobs in the cache"));
    }

    private static bool UsesPython(RunManifest run) =>
        run.Environment.Python is not null || (run.Execution.Command.Count > 0 && Path.GetFileName(run.Execution.Command[0]).StartsWith("python", StringComparison.Ordinal));

    private static ChecklistItem Environment(RunManifest run)
    {
        const string Title = "Environment captured";
        var env = run.Environment;
        var parts = new List<string>();
        var gaps = new List<string>();
        if (env.Os is not null)
        {
            parts.Add($"{env.Os.Name} {env.Os.Version}".Trim());
        }
        else
        {
            gaps.Add("OS");
        }

        if (env.Cpu is not null)
        {
            parts.Add(string.Create(Invariant, $"{env.Cpu.Model ?? "CPU"} ({env.Cpu.LogicalCores} cores, {env.Cpu.Flags.Count} ISA flags)"));
        }
        else
        {
            gaps.Add("CPU");
        }

        if (env.Python is not null)
        {
            parts.Add(string.Create(Invariant, $"Python {env.Python.Version} with {env.Python.Packages.Count} packages"));
        }
        else if (UsesPython(run))
        {
            gaps.Add("Python interpreter");
        }

        parts.Add(string.Create(Invariant, $"{env.Variables.Count} result-affecting variables"));
        if (env.Os is null && env.Cpu is null)
        {
            return Item("environment", Title, CheckStatus.No, "no environment recorded", "record the run with `repro run`");
        }

        var unknown = env.Unknown.Count > 0 ? $"; probes that could not tell: {string.Join(", ", env.Unknown.Keys.Order(StringComparer.Ordinal))}" : string.Empty;
        return gaps.Count > 0
            ? Item("environment", Title, CheckStatus.Partial, $"{string.Join("; ", parts)}; not captured: {string.Join(", ", gaps)}{unknown}", "record with --python PATH so the interpreter and its packages are captured")
            : Item("environment", Title, CheckStatus.Yes, string.Join("; ", parts) + unknown);
    }

    private async Task<ChecklistItem> DependenciesAsync(RunManifest run, CancellationToken cancellationToken)
    {
        const string Title = "Dependencies pinned";
        var (pinned, loose) = await LockFiles.FindAsync(workspace.Root, cancellationToken);
        var packages = run.Environment.Python?.Packages.Count ?? 0;
        var captured = packages > 0 ? string.Create(Invariant, $"; {packages} installed distributions captured with their versions") : string.Empty;
        if (pinned.Count > 0)
        {
            return Item("dependencies", Title, CheckStatus.Yes, $"lock file in the workspace: {string.Join(", ", pinned)}{captured}");
        }

        if (packages > 0)
        {
            return Item("dependencies", Title, CheckStatus.Yes, string.Create(Invariant, $"no lock file in the workspace{(loose.Count > 0 ? $" ({string.Join(", ", loose)})" : string.Empty)}; the captured package list pins {packages} distributions"));
        }

        if (loose.Count > 0)
        {
            return Item("dependencies", Title, CheckStatus.Partial, $"requirements not pinned: {string.Join(", ", loose)}", "pin every requirement with == or add a lock file");
        }

        return Item("dependencies", Title, CheckStatus.No, "no lock file in the workspace and no package list captured", "add a lock file (requirements.txt with ==, poetry.lock, uv.lock, conda-lock.yml, Pipfile.lock)");
    }

    private static ChecklistItem Seed(RunManifest run) => run.Seed is { } seed
        ? Item("seed", "Seed set", CheckStatus.Yes, string.Create(Invariant, $"--seed {seed} (REPRO_SEED and PYTHONHASHSEED set for the command)"))
        : run.Study is { Seeds.Count: > 0 } study
            ? Item("seed", "Seed set", CheckStatus.Yes, string.Create(Invariant, $"a study over seeds {string.Join(", ", study.Seeds.Take(10))}"))
            : Item("seed", "Seed set", CheckStatus.No, "no seed was set", "record the run with --seed N");

    private static ChecklistItem Determinism(RunManifest run) => run.Determinism.Enabled
        ? Item("determinism", "Determinism profile used", CheckStatus.Yes, $"--deterministic: {string.Join(", ", run.Determinism.Variables.Where(v => v.Key is not ("REPRO_SEED" or "PYTHONHASHSEED")).OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value}"))}")
        : Item("determinism", "Determinism profile used", CheckStatus.No, "recorded without --deterministic", "record the run with --deterministic");

    private async Task<ChecklistItem> ExternalAsync(string id, string title, string file, RunManifest run, string absent, CancellationToken cancellationToken)
    {
        var path = Path.Combine(workspace.ReproDirectory, ChecksFolder, file);
        var result = await ExternalCheck.ReadAsync(path, cancellationToken);
        var shown = $".repro/{ChecksFolder}/{file}";
        if (result is null)
        {
            return Item(id, title, CheckStatus.No, $"{absent} (no {shown})", $"run {absent[..(absent.LastIndexOf('`') + 1)]} (it leaves {shown})");
        }

        var other = result.Run is not null && result.Run != run.Id ? $" (for run {Short(result.Run)}, not this one)" : string.Empty;
        var open = Math.Max(0, result.Findings - result.Acknowledged);
        if (id == "lint")
        {
            return open == 0
                ? Item(id, title, CheckStatus.Yes, string.Create(Invariant, $"{shown}: {result.Findings} finding(s), {result.Acknowledged} acknowledged{other}"))
                : Item(id, title, CheckStatus.No, string.Create(Invariant, $"{shown}: {open} finding(s) not acknowledged{other}"), "fix or acknowledge the lint findings");
        }

        return result.Findings == 0
            ? Item(id, title, CheckStatus.Yes, $"{shown}: no leakage found{other}")
            : Item(id, title, CheckStatus.Partial, string.Create(Invariant, $"{shown}: run, {result.Findings} possible leak(s) found{other}"), "fix the leaks the check found");
    }

    private async Task<ChecklistItem> SeedsAsync(RunManifest run, CancellationToken cancellationToken)
    {
        const string Title = "Results over ≥ 5 seeds with error bars";
        var studies = new List<RunManifest>();
        if (run.Kind == "study")
        {
            studies.Add(run);
        }
        else
        {
            if (run.ParentId is not null && await store.GetAsync(run.ParentId, cancellationToken) is { Manifest.Kind: "study" } parent)
            {
                studies.Add(parent.Manifest);
            }

            var all = await store.ListAsync(new RunQuery { Limit = 0 }, cancellationToken);
            foreach (var summary in all.Where(s => s.Kind == "study" && s.Id != run.ParentId))
            {
                if (await store.GetAsync(summary.Id, cancellationToken) is { } study
                    && (study.Manifest.Study?.SourceRun == run.Id || (run.Name is not null && study.Manifest.Name == run.Name)))
                {
                    studies.Add(study.Manifest);
                }
            }
        }

        var best = studies
            .Select(s => (Study: s, Ok: s.Study?.Children.Count(c => c.Status == RunStatus.Ok) ?? 0))
            .OrderByDescending(s => s.Ok).ThenByDescending(s => s.Study.CreatedAt).FirstOrDefault();
        if (best.Study is null)
        {
            return Item("seeds", Title, CheckStatus.No, "no seed study of this run", "run `repro seeds RUN -n 5`");
        }

        var evidence = string.Create(Invariant, $"study {Short(best.Study.Id)}: {best.Ok} seed(s) succeeded, mean ± std and 95% t and bootstrap intervals per metric");
        return best.Ok >= 5
            ? Item("seeds", Title, CheckStatus.Yes, evidence)
            : Item("seeds", Title, CheckStatus.Partial, evidence + " (fewer than 5)", "run `repro seeds RUN -n 5` or more");
    }

    private async Task<IReadOnlyList<ChecklistItem>> VerifiedAsync(RunManifest run, CancellationToken cancellationToken)
    {
        const string Here = "Verified by a re-run";
        const string Elsewhere = "Verified in a second environment";
        var verifications = await store.ListVerificationsAsync(run.Id, 0, cancellationToken);
        if (verifications.Count == 0)
        {
            return
            [
                Item("verified", Here, CheckStatus.No, "no verification of this run", "run `repro verify RUN`"),
                Item("second_environment", Elsewhere, CheckStatus.No, "no verification of this run", "verify the run on another machine"),
            ];
        }

        // A verification that compared nothing (UNVERIFIED, or an older IDENTICAL with no outputs,
        // metrics or printed text behind it) proves nothing and is not counted.
        var passed = verifications.Where(v => v.Report.Verdict is Verdict.Identical or Verdict.Equivalent && ComparedSomething(v.Report)).ToList();
        var here = passed.Count > 0
            ? Item("verified", Here, CheckStatus.Yes, string.Create(Invariant, $"verification {Short(passed[0].Report.Id)}: {VerdictText(passed[0].Report.Verdict)} ({passed.Count} of {verifications.Count} passed)"))
            : !ComparedSomething(verifications[0].Report)
                ? Item("verified", Here, CheckStatus.No, $"verification {Short(verifications[0].Report.Id)} compared nothing (no output, metric or printed text): not counted as verified", "declare outputs (--out) or metrics (--metrics), or print the result, then `repro verify RUN` again")
                : Item("verified", Here, CheckStatus.No, $"verification {Short(verifications[0].Report.Id)}: {VerdictText(verifications[0].Report.Verdict)}", "find why it differs (`repro verify` lists the causes)");

        foreach (var verification in passed)
        {
            foreach (var reproduction in verification.Report.ReproductionRuns)
            {
                if (await store.GetAsync(reproduction, cancellationToken) is { } rerun && EnvironmentDifferences(run.Environment, rerun.Manifest.Environment) is { Count: > 0 } differences)
                {
                    return [here, Item("second_environment", Elsewhere, CheckStatus.Yes, $"verification {Short(verification.Report.Id)}: {VerdictText(verification.Report.Verdict)} in an environment that differs in {string.Join(", ", differences)}")];
                }
            }
        }

        return [here, Item("second_environment", Elsewhere, CheckStatus.No, "every passing verification ran in the same environment (host, CPU, OS, kernel, Python and packages)", "verify the run on another machine or container")];
    }

    private static bool ComparedSomething(VerificationReport report) =>
        report.Compared is { } compared ? compared.Count > 0 : report.Outputs.Count > 0 || report.Metrics.Count > 0;

    private static string VerdictText(Verdict verdict) => verdict.ToString().ToUpperInvariant();

    /// <summary>What differs between two environments: host, CPU, OS, kernel, Python, packages.</summary>
    public static IReadOnlyList<string> EnvironmentDifferences(EnvironmentSnapshot a, EnvironmentSnapshot b)
    {
        var differences = new List<string>();
        if (a.Hostname != b.Hostname)
        {
            differences.Add("host");
        }

        if (a.Cpu?.Model != b.Cpu?.Model || !(a.Cpu?.Flags ?? []).SequenceEqual(b.Cpu?.Flags ?? []))
        {
            differences.Add("CPU");
        }

        if (a.Os != b.Os || a.Kernel != b.Kernel || a.Architecture != b.Architecture)
        {
            differences.Add("OS");
        }

        if (a.Python?.Version != b.Python?.Version)
        {
            differences.Add("Python");
        }

        var pa = a.Python?.Packages ?? new Dictionary<string, string>();
        var pb = b.Python?.Packages ?? new Dictionary<string, string>();
        var changed = pa.Keys.Union(pb.Keys).Count(k => pa.GetValueOrDefault(k) != pb.GetValueOrDefault(k));
        if (changed > 0)
        {
            differences.Add(string.Create(Invariant, $"{changed} package(s)"));
        }

        return differences;
    }

    private async Task<ChecklistItem> TriedAsync(RunManifest run, CancellationToken cancellationToken)
    {
        const string Title = "Runs tried before this one disclosed";
        var all = await store.ListAsync(new RunQuery { Name = run.Name, Limit = 0 }, cancellationToken);
        // Seeds of a study are not attempts of their own: only runs without a parent count.
        var before = all.Where(s => s.Kind == run.Kind && s.ParentId == null && s.Id != run.Id && s.CreatedAt <= run.CreatedAt).ToList();
        if (run.Name is null)
        {
            var sameCommand = 0;
            foreach (var summary in before.Take(500))
            {
                if (await store.GetAsync(summary.Id, cancellationToken) is { } other && other.Manifest.Execution.Argv.SequenceEqual(run.Execution.Argv))
                {
                    sameCommand++;
                }
            }

            return Item("tried", Title, CheckStatus.Partial, string.Create(Invariant, $"unnamed run: {sameCommand} earlier {run.Kind}(s) of the same command line in this store"), "name runs with --name so every attempt of a pipeline is counted");
        }

        var configurations = new HashSet<string>(StringComparer.Ordinal) { Configuration(run) };
        foreach (var summary in before.Take(500))
        {
            if (await store.GetAsync(summary.Id, cancellationToken) is { } other)
            {
                configurations.Add(Configuration(other.Manifest));
            }
        }

        return Item("tried", Title, CheckStatus.Yes, string.Create(Invariant, $"{before.Count} earlier {run.Kind}(s) named '{run.Name}' in this store; {configurations.Count} distinct configuration(s) (parameters, seed and command) counting this one"));
    }

    private static string Configuration(RunManifest run) =>
        string.Join('\n', run.Params.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))
        + $"\nseed={run.Seed?.ToString(Invariant)}\n{string.Join(' ', run.Execution.Argv)}";
}
