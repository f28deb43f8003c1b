using Repro.Blobs.Hashing;
using Repro.Blobs.Storage;
using Repro.Capture;
using Repro.Execution;
using Repro.Model;
using Repro.Model.Workspaces;
using Repro.Platform.Diagnostics;
using Repro.Recording;

namespace Repro.Judging.Verification;

/// <summary>
/// Re-runs a recorded run with its command, parameters, determinism profile and
/// result-affecting variables: in a scratch checkout of the recorded code and data (the
/// default, the user's tree untouched) or in place. Verification and seed studies both use it.
/// Safe to call concurrently: scratch checkouts are created and removed one at a time, since
/// git serialises worktree changes with a lock file that a second writer would fail on; a file
/// lock extends that to other processes (Slurm tasks of one study on one node).
/// </summary>
public sealed class RunReplayer
{
    /// <summary>Variables that describe this machine's layout, not the run: never copied from the record.</summary>
    private static readonly HashSet<string> MachineVariables = new(StringComparer.Ordinal)
    {
        "PATH", "LD_LIBRARY_PATH", "LD_PRELOAD", "VIRTUAL_ENV", "CONDA_PREFIX", "CONDA_DEFAULT_ENV", "PYTHONPATH",
    };

    private static readonly SemaphoreSlim CheckoutLock = new(1, 1);
    private readonly Workspace _workspace;
    private readonly IRunStore _store;
    private readonly ContentCache _cache;
    private readonly Func<IStatCache> _statCache;
    private readonly TimeProvider _time;
    private readonly Func<ExecutorOptions, IExecutor> _executors;

    public RunReplayer(Workspace workspace, IRunStore store, ContentCache cache, Func<IStatCache> statCache, TimeProvider time, Func<ExecutorOptions, IExecutor>? executors = null)
    {
        _executors = executors ?? ExecutorFactory.Create;
        _workspace = workspace;
        _store = store;
        _cache = cache;
        _statCache = statCache;
        _time = time;
    }

    /// <summary>
    /// Re-runs <paramref name="run"/> and records the new run. Notes about what could not be
    /// restored exactly go to <paramref name="notes"/>. With <paramref name="cleanup"/>, the
    /// scratch checkout is removed in the background and its task added there, for a caller that
    /// has other work to do first and awaits it before it ends; without, it is removed before this returns.
    /// </summary>
    public async Task<RunManifest> ReplayAsync(RunManifest run, ReplayRequest replay, IReadOnlyDictionary<string, string> environment, Stream stdout, Stream stderr, ICollection<string> notes, CancellationToken interrupt, ICollection<Task>? cleanup = null)
    {
        ScratchCheckout? scratch = null;
        try
        {
            Workspace workspace;
            if (replay.InPlace)
            {
                workspace = _workspace;
            }
            else
            {
                await CheckoutLock.WaitAsync(CancellationToken.None);
                try
                {
                    await using var held = await FileLock.AcquireAsync(Path.Combine(_workspace.TempPath, "checkout.lock"), CancellationToken.None);
                    scratch = await ScratchCheckout.CreateAsync(run, _workspace.Root, _workspace.TempPath, _cache, CancellationToken.None, new CommitSnapshots(_workspace.ReproDirectory));
                }
                finally
                {
                    CheckoutLock.Release();
                }

                PhaseTimings.Mark("verify: scratch checkout created");
                lock (notes)
                {
                    foreach (var note in scratch.Notes.Where(n => !notes.Contains(n)))
                    {
                        notes.Add(note);
                    }
                }

                workspace = _workspace.WithRoot(scratch.Root);
            }

            var workingDirectory = run.Execution.WorkingDir == "." ? workspace.Root
                : Path.IsPathRooted(run.Execution.WorkingDir) ? run.Execution.WorkingDir
                : Path.Combine(workspace.Root, run.Execution.WorkingDir);
            Directory.CreateDirectory(workingDirectory);

            var executor = _executors(replay.Executor);
            if (executor.Name == "sandbox")
            {
                // A folder output is bound into the sandbox, so it must exist as a folder before the command starts.
                foreach (var output in run.Outputs.Where(o => o.Kind == ArtifactKind.Dir && !Path.IsPathRooted(o.Path)))
                {
                    Directory.CreateDirectory(Path.Combine(workspace.Root, output.Path));
                }
            }

            var python = run.Environment.Python is { } recorded && !PythonProbe.IsPythonName(run.Execution.Argv[0]) ? recorded.Executable : null;
            var plan = RunPlan.Replay(run, workspace.Root, workingDirectory, replay, executor, ReplayEnvironment(run, environment), python);
            var recorder = new RunRecorder(workspace, _store, _cache, _statCache(), _time);
            var outcome = await recorder.RecordAsync(plan, stdout, stderr, null, interrupt);
            return outcome.Manifest;
        }
        finally
        {
            if (scratch is not null)
            {
                var removal = RemoveAsync(scratch);
                if (cleanup is null)
                {
                    await removal;
                }
                else
                {
                    lock (cleanup)
                    {
                        cleanup.Add(removal);
                    }
                }
            }
        }
    }

    private async Task RemoveAsync(ScratchCheckout scratch)
    {
        await CheckoutLock.WaitAsync(CancellationToken.None);
        try
        {
            await using var held = await FileLock.AcquireAsync(Path.Combine(_workspace.TempPath, "checkout.lock"), CancellationToken.None);
            await scratch.DisposeAsync();
            PhaseTimings.Mark("verify: scratch checkout removed");
        }
        finally
        {
            CheckoutLock.Release();
        }
    }

    /// <summary>The current environment with the record's result-affecting variables put back.</summary>
    private static Dictionary<string, string> ReplayEnvironment(RunManifest run, IReadOnlyDictionary<string, string> environment)
    {
        var result = new Dictionary<string, string>(environment, StringComparer.Ordinal);
        foreach (var (name, value) in run.Environment.Variables)
        {
            if (value == EnvironmentVariablePolicy.Redacted || MachineVariables.Contains(name) || name.StartsWith("REPRO_", StringComparison.Ordinal) || run.Determinism.Variables.ContainsKey(name))
            {
                continue;
            }

            result[name] = value;
        }

        // Variables that were not set in the original run are not set in its reproduction.
        foreach (var name in result.Keys.Where(n => EnvironmentVariablePolicy.IsAllowed(n) && !EnvironmentVariablePolicy.IsCredential(n)
            && !MachineVariables.Contains(n) && !n.StartsWith("REPRO_", StringComparison.Ordinal) && !n.StartsWith("DOTNET_", StringComparison.Ordinal)
            && !run.Environment.Variables.ContainsKey(n)).ToList())
        {
            result.Remove(name);
        }

        return result;
    }
}
