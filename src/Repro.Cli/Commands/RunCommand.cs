using System.CommandLine;
using Repro.Cli.Rendering;
using Repro.Execution;
using Repro.Runs;
using Repro.Storage;
using Repro.Tracking;

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
            var plan = RunPlan.From(options.ToRequest(parse, context, context.Trailing, parse.GetValue(seed)) with { Executor = chosen });

            // The store opens on the other core while the code is captured.
            await using var session = context.OpenWorkspaceInBackground(cancellationToken);

            // Ctrl+C stops the command, not repro: what ran so far is still recorded and reported.
            using var interrupts = context.Interrupts.Hold();
            using var progress = HashProgressBar.ForTerminal(context) as HashProgressBar;

            using var mlflow = new MlflowRunObserver(
                session.Workspace,
                async ct => await TrackingStore.OpenAsync(await session.OpenDatabaseAsync(ct), session.Store, context.Time, TrackingStore.ArtifactRootFor(session.Workspace.ReproDirectory), ct),
                new SynchronousProgress<string>(warning => Terminal.Warning(context, warning)));
            var recorder = new RunRecorder(session.Workspace, session.Store, session.Cache, new Storage.SqliteStatCache(session.Workspace.StatePath), context.Time)
            {
                Observers = [mlflow],
            };
            var outcome = await recorder.RecordAsync(plan, context.OutStream, context.ErrorStream, progress, context.Interrupts.Token);
            progress?.Dispose();

            foreach (var warning in outcome.Manifest.Warnings)
            {
                Terminal.Warning(context, warning);
            }

            if (!parse.GetValue(quiet))
            {
                var run = outcome.Manifest;
                var label = run.Name is null ? run.Id[..8] : $"{run.Id[..8]} ({run.Name})";
                var status = run.Status == Domain.RunStatus.Ok ? "ok" : $"failed, exit {run.Execution.ExitCode}";
                Terminal.Note(context, $"recorded run {label}: {status}, {Format.Seconds(run.Execution.WallSeconds)}; see `repro show {run.Id[..8]}`");
            }

            return outcome.ExitCode;
        });
        return command;
    }
}
