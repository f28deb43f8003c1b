using System.Globalization;
using Repro.Blobs.Storage;
using Repro.Capture;
using Repro.Capture.Probe;
using Repro.Execution;
using Repro.Model;
using Repro.Model.Workspaces;
using Repro.Platform.Diagnostics;
using Repro.Recording;

namespace Repro.Recording;

/// <summary>
/// Loads the probe into a Python command, as a capture step of the recorder: before the command
/// starts, the probe's folder goes first on PYTHONPATH (its sitecustomize chains to the
/// interpreter's own) with the trace file, seed and step interval; when it ends, the trace is
/// kept in the cache, summarised into the manifest's <c>probe</c>, and the probe's variables are
/// taken back out of the environment pillar. Only commands run on this machine's file system are
/// probed: the local executor's, and the sandbox's, which shows the probe's folder read-only at
/// the same path and lets the command write the run's scratch folder, where the trace is.
/// Whatever goes wrong here is a warning on the run, never a failure.
/// </summary>
public sealed class ProbeObserver : IRunObserver
{
    private readonly Workspace _workspace;
    private readonly ContentCache _cache;
    private string? _trace;
    private int _every;
    private string? _problem;

    public ProbeObserver(Workspace workspace, ContentCache cache)
    {
        _workspace = workspace;
        _cache = cache;
    }

    public Task<RunPlan> PlanningAsync(RunPlan plan, CancellationToken cancellationToken)
    {
        if (!plan.Probe.Enabled || plan.Executor is not (LocalExecutor or SandboxExecutor))
        {
            return Task.FromResult(plan);
        }

        var executable = ExecutableResolver.Find(plan.Command[0], plan.Environment.GetValueOrDefault("PATH"), plan.WorkingDirectory);
        if (plan.Python is null && !PythonCommand.Is(plan.Command[0], executable))
        {
            return Task.FromResult(plan);
        }

        try
        {
            var folder = ProbeFiles.Ensure(_workspace.ReproDirectory);
            var scratch = Path.Combine(_workspace.TempPath, plan.Id);
            Directory.CreateDirectory(scratch);
            _trace = Path.Combine(scratch, "probe.jsonl");
            _every = plan.Probe.Every;
            PhaseTimings.Mark("run: probe written");
            return Task.FromResult(plan with
            {
                Environment = ProbeEnvironment.With(plan.Environment, folder, _trace, plan.Seed, _every),
                SupportPaths = [.. plan.SupportPaths, folder],
            });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _problem = $"probe: not loaded, its files could not be written to {Path.Combine(_workspace.ReproDirectory, "probe")}: {ex.Message}";
            return Task.FromResult(plan);
        }
    }

    public async Task<RunManifest> SealingAsync(RunManifest manifest, CancellationToken cancellationToken)
    {
        if (_problem is not null)
        {
            return manifest with { Warnings = [.. manifest.Warnings, _problem] };
        }

        if (_trace is null)
        {
            return manifest;
        }

        var warnings = new List<string>(manifest.Warnings);
        ProbeRecord record;
        try
        {
            var (bytes, truncated) = await ProbeTraceReader.ReadFileAsync(_trace, cancellationToken);
            var trace = ProbeTraceReader.Parse(bytes);
            BlobRef? blob = bytes.Length == 0 ? null : await _cache.AddBytesAsync(bytes, cancellationToken);
            record = trace.Record with { Trace = blob, Every = _every };
            warnings.AddRange(trace.Warnings.Select(w => "probe: " + w));
            if (truncated)
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture, $"probe: the trace is larger than {ProbeTraceReader.MaxBytes >> 20} MiB; only its first {ProbeTraceReader.MaxBytes >> 20} MiB were kept"));
            }

            if (record.DroppedEvents > 0)
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture, $"probe: {record.DroppedEvents} events ({ByteText.Of(record.DroppedBytes)}) past the trace's bounds were dropped; the first {record.Events} were kept"));
            }

            if (record.PartialFingerprints > 0)
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture, $"probe: {record.PartialFingerprints} fingerprints are partial: their values were larger than the {ByteText.Of(record.BudgetBytes)} budget and only that much was hashed"));
            }

            if (trace.Malformed > 0)
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture, $"probe: {trace.Malformed} trace lines were not whole events (a process killed while writing) and were skipped"));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            warnings.Add($"probe: the trace could not be read: {ex.Message}");
            record = new ProbeRecord { Every = _every };
        }

        var environment = manifest.Environment;
        var variables = new SortedDictionary<string, string>(ProbeEnvironment.Without(environment.Variables), StringComparer.Ordinal);
        var python = environment.Python;
        if (python is not null && environment.Variables.TryGetValue(ProbeEnvironment.Directory, out var folder))
        {
            python = python with { SysPath = python.SysPath.Where(p => p != folder).ToList() };
        }

        var parameters = new SortedDictionary<string, string>(manifest.Params.ToDictionary(), StringComparer.Ordinal);
        foreach (var (key, value) in record.Params)
        {
            parameters.TryAdd(key, value);
        }

        return manifest with
        {
            Probe = record,
            Params = parameters,
            Environment = environment with { Variables = variables, Python = python },
            Warnings = warnings,
        };
    }

    public Task AbandonedAsync(RunPlan plan, bool cancelled, string reason) => Task.CompletedTask;
}
