using System.CommandLine;
using Repro.Blobs.Storage;
using Repro.Cli.Rendering;
using Repro.Execution;
using Repro.Interop.Tracking;
using Repro.Recording;

namespace Repro.Cli.Commands;

/// <summary><c>repro run ... -- COMMAND</c>: runs a command and records its three pillars.</summary>
public sealed class RunCommand : CliCommand<RunCommandSettings>
{
    public RunCommand(CliContext context)
        : base(context)
    {
    }

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
        var probe = new ProbeFlags();
        probe.AddTo(command, withEvery: true);
        var executor = new ExecutorFlags();
        executor.AddTo(command);

        command.SetAction((parse, cancellationToken) => new RunCommand(context).RunAsync(
            new RunCommandSettings
            {
                Request = options.ToRequest(parse, context, context.Trailing, parse.GetValue(seed)) with { Probe = probe.Read(parse) },
                Executor = executor.Read(parse),
                Quiet = parse.GetValue(quiet),
            },
            cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(RunCommandSettings settings, CancellationToken cancellationToken)
    {
        // Checked once, before the store opens or anything runs: no command, bad names, missing inputs.
        var chosen = ExecutorFactory.Create(settings.Executor);
        var plan = RunPlan.From(settings.Request with { Executor = chosen });

        // The store opens on the other core while the code is captured.
        await using var session = Context.OpenWorkspaceInBackground(cancellationToken);

        // Ctrl+C stops the command, not repro: what ran so far is still recorded and reported.
        using var interrupts = Context.Interrupts.Hold();
        using var progress = HashProgressBar.ForTerminal(Context) as HashProgressBar;

        using var mlflow = new MlflowRunObserver(
            session.Workspace,
            async ct => await (await session.OpenDatabaseAsync(ct)).OpenTrackingAsync(session.Store, Context.Time, TrackingDefaults.ArtifactRootFor(session.Workspace.ReproDirectory), ct),
            new SynchronousProgress<string>(warning => Terminal.Warning(Context, warning)));
        var recorder = new RunRecorder(session.Workspace, session.Store, session.Cache, session.StatCache(), Context.Time)
        {
            Observers = [mlflow],
        };
        var outcome = await recorder.RecordAsync(plan, Context.OutStream, Context.ErrorStream, progress, Context.Interrupts.Token);
        progress?.Dispose();

        foreach (var warning in outcome.Manifest.Warnings)
        {
            Terminal.Warning(Context, warning);
        }

        if (!settings.Quiet)
        {
            var run = outcome.Manifest;
            var label = run.Name is null ? run.Id[..8] : $"{run.Id[..8]} ({run.Name})";
            var status = run.Status == Repro.Model.RunStatus.Ok ? "ok" : $"failed, exit {run.Execution.ExitCode}";
            Terminal.Note(Context, $"recorded run {label}: {status}, {Format.Seconds(run.Execution.WallSeconds)}; see `repro show {run.Id[..8]}`");
        }

        return outcome.ExitCode;
    }
}
