using System.CommandLine;
using System.Runtime.InteropServices;
using Repro.Blobs.Storage;
using Repro.Cli.Rendering;
using Repro.Execution;
using Repro.Interop.Tracking;
using Repro.Recording;

namespace Repro.Cli.Commands;

/// <summary><c>repro run ... -- COMMAND</c>: runs a command and records its three pillars.</summary>
public static class RunCommand
{
    public static Command Create(CliContext context)
    {
        var options = new RunOptions();
        var seed = new Option<long?>("--seed") { Description = "Seed: sets REPRO_SEED and PYTHONHASHSEED and replaces {seed} in the command." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Do not print the summary line after the run." };

        var command = new Command("run", "Run a command and record code, data, environment, params, seed, outputs and metrics. Usage: repro run [OPTIONS] -- COMMAND [ARGS...]. Reference: docs/run.md")
        {
            seed, quiet,
        };
        options.AddTo(command);
        var executor = new ExecutorFlags();
        executor.AddTo(command);

        command.SetAction(async (parse, cancellationToken) =>
        {
            // Checked once, before the store opens or anything runs: no command, bad names, missing inputs.
            var chosen = ExecutorFactory.Create(executor.ToOptions(parse));
            var plan = RunPlan.From(options.ToRequest(parse, context.Trailing, parse.GetValue(seed)) with { Executor = chosen });

            // The store opens on the other core while the code is captured.
            await using var session = WorkspaceSession.OpenInBackground(cancellationToken);

            using var interrupt = new CancellationTokenSource();
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => Interrupt(signal, interrupt));
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => Interrupt(signal, interrupt));
            using var progress = HashProgressBar.ForTerminal(context.Error, context.Time) as HashProgressBar;

            using var mlflow = new MlflowRunObserver(
                session.Workspace,
                async ct => await TrackingStore.OpenAsync(await session.OpenDatabaseAsync(ct), session.Store, TimeProvider.System, TrackingStore.ArtifactRootFor(session.Workspace.ReproDirectory), ct),
                new SynchronousProgress<string>(warning => Terminal.Warning(context.Error, warning)));
            var recorder = new RunRecorder(session.Workspace, session.Store, session.Cache, new Repro.Blobs.Storage.SqliteStatCache(session.Workspace.StatePath), context.Time)
            {
                Observers = [mlflow],
            };
            var outcome = await recorder.RecordAsync(plan, WriterStream.For(context.Out, false), WriterStream.For(context.Error, true), progress, interrupt.Token);
            progress?.Dispose();

            foreach (var warning in outcome.Manifest.Warnings)
            {
                Terminal.Warning(context.Error, warning);
            }

            if (!parse.GetValue(quiet))
            {
                var run = outcome.Manifest;
                var label = run.Name is null ? run.Id[..8] : $"{run.Id[..8]} ({run.Name})";
                var status = run.Status == Repro.Model.RunStatus.Ok ? "ok" : $"failed, exit {run.Execution.ExitCode}";
                Terminal.Note(context.Error, $"recorded run {label}: {status}, {Format.Seconds(run.Execution.WallSeconds)}; see `repro show {run.Id[..8]}`");
            }

            return outcome.ExitCode;
        });
        return command;
    }

    internal static Dictionary<string, string> CurrentEnvironment()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            result[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
        }

        return result;
    }

    internal static void Interrupt(PosixSignalContext signal, CancellationTokenSource interrupt)
    {
        // Keep repro alive: the child gets the signal, stops, and its run is still recorded.
        signal.Cancel = true;
        interrupt.Cancel();
    }
}
