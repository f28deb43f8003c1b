using System.Globalization;
using Repro.Blobs.Storage;
using Repro.Model;

namespace Repro.Cli.Rendering;

/// <summary>The readable form of one run for <c>repro show</c>: one section per pillar.</summary>
public static class ShowRenderer
{
    private const int Label = 13;

    public static void Render(TextWriter w, StoredRun stored, IReadOnlyList<StoredVerification>? verifications = null)
    {
        var run = stored.Manifest;
        var e = run.Execution;
        w.WriteLine($"run {run.Id}{(run.Name is null ? string.Empty : $"  ({run.Name})")}");
        Line(w, "status", run.Status switch
        {
            RunStatus.Ok => $"ok (exit {e.ExitCode})",
            RunStatus.Running => "running (a live MLflow run: sealed when it ends)",
            _ => $"FAILED (exit {e.ExitCode}){(e.Cancelled ? ", interrupted" : string.Empty)}",
        });
        Line(w, "digest", $"sha256:{stored.Digest}");
        if (run.ParentId is { } parent)
        {
            Line(w, run.Kind == "verification" ? "verifies" : run.Tags.ContainsKey("study") ? "study" : "parent", parent);
        }

        Line(w, "started", $"{Format.Time(e.StartedAt)}   wall {Format.Seconds(e.WallSeconds)}   cpu {Format.Seconds(e.CpuSeconds)}   peak memory {Format.Bytes(e.PeakRssBytes)}");
        Line(w, "command", Quote(e.Command) + (e.WorkingDir == "." ? string.Empty : $"   (in {e.WorkingDir})"));
        if (e.Executable is not null)
        {
            Line(w, "executable", e.Executable);
        }

        Line(w, "seed", run.Seed is { } seed
            ? $"{seed.ToString(CultureInfo.InvariantCulture)} (REPRO_SEED and PYTHONHASHSEED set; {{seed}} replaced in the command)"
            : "none: repro did not seed this run (pass --seed N)");
        Line(w, "determinism", run.Determinism.Enabled
            ? "on: " + string.Join(" ", run.Determinism.Variables.Where(v => v.Key is not ("REPRO_SEED" or "PYTHONHASHSEED")).Select(v => $"{v.Key}={v.Value}"))
            : "off (pass --deterministic for the determinism profile)");
        foreach (var (key, value) in run.Tags)
        {
            Line(w, "tag", $"{key}={value}");
        }

        if (run.Study is { } study)
        {
            w.WriteLine();
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"study: {study.Children.Count} seeds, {study.Parallelism} at a time{(study.SourceRun is { } source ? $", re-running run {source[..8]}" : string.Empty)} (repro study {run.Id[..8]} shows it alone)"));
            StudyRenderer.RenderStatistics(w, study.Statistics);
            w.WriteLine();
            StudyRenderer.RenderChildren(w, study);
        }

        w.WriteLine();
        w.WriteLine("code");
        RenderCode(w, run.Code);

        w.WriteLine();
        w.WriteLine("data");
        RenderArtifacts(w, run.Deps, "no declared inputs (pass --dep PATH)");
        w.WriteLine();
        w.WriteLine("outputs");
        RenderArtifacts(w, run.Outputs, "no declared outputs (pass --out PATH)");

        w.WriteLine();
        w.WriteLine("params");
        if (run.Params.Count == 0)
        {
            w.WriteLine("  none");
        }

        foreach (var (key, value) in run.Params)
        {
            w.WriteLine($"  {key} = {value}");
        }

        w.WriteLine();
        w.WriteLine("metrics");
        if (run.Metrics.Values.Count == 0)
        {
            w.WriteLine("  none");
        }

        foreach (var (key, value) in run.Metrics.Values)
        {
            var steps = run.Metrics.Steps.TryGetValue(key, out var history) ? $"   ({history.Count} steps)" : string.Empty;
            w.WriteLine($"  {key} = {Format.Number(value)}{steps}");
        }

        w.WriteLine();
        w.WriteLine("environment");
        RenderEnvironment(w, run.Environment, verbose: false);

        w.WriteLine();
        w.WriteLine("logs");
        w.WriteLine($"  stdout  {Format.Bytes(e.Stdout.TotalBytes)}{(e.Stdout.Truncated ? $" (kept {Format.Bytes(e.Stdout.Size)}, cap {Format.Bytes(e.Stdout.CapBytes)})" : string.Empty)}  sha256 {Format.Short(e.Stdout.Sha256)}");
        w.WriteLine($"  stderr  {Format.Bytes(e.Stderr.TotalBytes)}{(e.Stderr.Truncated ? $" (kept {Format.Bytes(e.Stderr.Size)}, cap {Format.Bytes(e.Stderr.CapBytes)})" : string.Empty)}  sha256 {Format.Short(e.Stderr.Sha256)}");

        if (verifications is { Count: > 0 })
        {
            w.WriteLine();
            w.WriteLine("verifications (newest first)");
            foreach (var v in verifications)
            {
                w.WriteLine($"  {v.Report.Id[..8]}  {v.Report.Verdict.ToString().ToUpperInvariant(),-10}  {Format.Time(v.Report.VerifiedAt)}  {v.Report.Mode}, tolerance from {v.Report.ToleranceSource}   sha256:{Format.Short(v.Digest)}");
            }
        }

        if (run.Warnings.Count > 0)
        {
            w.WriteLine();
            w.WriteLine("warnings");
            foreach (var warning in run.Warnings)
            {
                w.WriteLine($"  ! {warning}");
            }
        }
    }

    public static void RenderEnvironment(TextWriter w, EnvironmentSnapshot env, bool verbose)
    {
        Line(w, "  os", $"{env.Os?.Name ?? "unknown"}   kernel {env.Kernel ?? "unknown"}   {env.Architecture}");
        if (env.Cpu is { } cpu)
        {
            Line(w, "  cpu", $"{cpu.Model}   {cpu.LogicalCores} logical cores ({cpu.AvailableCores} available)   flags {string.Join(",", cpu.Flags)}");
        }

        Line(w, "  memory", Format.Bytes(env.MemoryBytes));
        Line(w, "  gpu", env.Gpu.Present
            ? $"{string.Join(", ", env.Gpu.Devices.Select(d => d.Name))}   driver {env.Gpu.Driver}   CUDA {env.Gpu.Cuda ?? "?"}"
            : $"none ({env.Gpu.Note})");
        Line(w, "  container", env.Container.Inside ? $"{env.Container.Engine}{(env.Container.Id is null ? string.Empty : $" {env.Container.Id[..12]}")}" : "no");
        Line(w, "  host", $"{env.Hostname}   locale {env.Locale}   time zone {env.TimeZone}   {env.Dotnet}");
        if (env.Python is { } python)
        {
            Line(w, "  python", $"{python.Executable}   {python.Implementation} {python.Version}   {python.Packages.Count} distributions");
            var shown = verbose ? python.Packages : python.Packages.Where(p => NotablePackages.Contains(p.Key));
            foreach (var (name, version) in shown)
            {
                w.WriteLine($"      {name} {version}");
            }
        }

        var interesting = env.Variables.Where(v => verbose || v.Key is not ("PATH" or "LD_LIBRARY_PATH")).ToList();
        if (interesting.Count > 0)
        {
            w.WriteLine("  variables");
            foreach (var (key, value) in interesting)
            {
                w.WriteLine($"      {key}={value}");
            }
        }

        w.WriteLine($"  + {env.OtherVariables.Count} other variables recorded by name only");
        foreach (var (probe, reason) in env.Unknown)
        {
            Line(w, $"  {probe}", $"unknown: {reason}");
        }
    }

    private static readonly HashSet<string> NotablePackages = new(StringComparer.Ordinal)
    {
        "numpy", "scipy", "scikit-learn", "pandas", "torch", "tensorflow", "jax", "jaxlib", "xgboost", "lightgbm", "catboost", "keras", "transformers", "mlflow", "dvc",
    };

    private static void RenderCode(TextWriter w, CodeSnapshot code)
    {
        if (code.Kind == "git")
        {
            Line(w, "  git", $"{code.Commit ?? "(no commit yet)"}   branch {code.Branch ?? "(detached)"}{(code.Prefix is { Length: > 0 } prefix ? $"   folder {prefix}" : string.Empty)}");
            Line(w, "  remote", code.Remote ?? "none");
            Line(w, "  working tree", code.Dirty
                ? $"dirty: {code.Changes.Count} changed{(code.Diff is { } diff ? $", uncommitted diff stored (sha256 {Format.Short(diff.Sha256)}, {Format.Bytes(diff.Size)})" : string.Empty)}"
                : "clean");
            foreach (var change in code.Changes.Take(20))
            {
                w.WriteLine($"      {change.Status,-2} {change.Path}");
            }

            if (code.Changes.Count > 20)
            {
                w.WriteLine($"      … {code.Changes.Count - 20} more");
            }

            foreach (var skipped in code.NotCaptured)
            {
                w.WriteLine($"      not in diff: {skipped.Path} ({skipped.Status})");
            }
        }
        else if (code.Kind == "tree")
        {
            Line(w, "  tree", $"{code.FileCount} files, listing sha256 {Format.Short(code.Tree?.Sha256)}");
        }

        if (code.Note is not null)
        {
            Line(w, "  note", code.Note);
        }
    }

    private static void RenderArtifacts(TextWriter w, IReadOnlyList<ArtifactRecord> artifacts, string none)
    {
        if (artifacts.Count == 0)
        {
            w.WriteLine($"  {none}");
        }

        foreach (var a in artifacts)
        {
            var what = a.Kind switch
            {
                ArtifactKind.Dir => $"folder, {a.Files} files, {Format.Bytes(a.Size)}",
                ArtifactKind.File => Format.Bytes(a.Size),
                _ => "MISSING",
            };
            w.WriteLine($"  {a.Path}   {what}   sha256 {a.Sha256 ?? "-"}");
        }
    }

    private static void Line(TextWriter w, string label, string text) => w.WriteLine($"{label.PadRight(Label)} {text}");

    private static string Quote(IEnumerable<string> argv) =>
        string.Join(" ", argv.Select(a => a.Length > 0 && a.All(c => char.IsLetterOrDigit(c) || "-_./=:,+@%".Contains(c, StringComparison.Ordinal)) ? a : $"'{a.Replace("'", "'\\''", StringComparison.Ordinal)}'"));
}
