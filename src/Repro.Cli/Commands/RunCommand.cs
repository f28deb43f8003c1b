using System.CommandLine;
using System.Runtime.InteropServices;
using Repro.Cli.Rendering;
using Repro.Runs;
using Repro.Storage;

namespace Repro.Cli.Commands;

/// <summary><c>repro run ... -- COMMAND</c>: runs a command and records its three pillars.</summary>
public static class RunCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Option<string?>("--name") { Description = "A name for the run (later: refer to its newest run by this name)." };
        var deps = new Option<string[]>("--dep") { Description = "An input file or folder: hashed and cached before the command starts. Repeatable." };
        var outs = new Option<string[]>("--out") { Description = "An output file or folder: hashed and cached after the command ends. Repeatable." };
        var metrics = new Option<string[]>("--metrics") { Description = "A metrics file the command writes (JSON, YAML or CSV). Repeatable." };
        var parameters = new Option<string[]>("--param") { Description = "A parameter KEY=VALUE to record. Repeatable." };
        var paramsFiles = new Option<string[]>("--params-file") { Description = "A YAML or JSON file of parameters (keys flattened with '.'). Repeatable." };
        var seed = new Option<long?>("--seed") { Description = "Seed: sets REPRO_SEED and PYTHONHASHSEED and replaces {seed} in the command." };
        var deterministic = new Option<bool>("--deterministic") { Description = "Set the determinism profile (CUBLAS_WORKSPACE_CONFIG, TF_DETERMINISTIC_OPS, thread counts = 1, MKL_CBWR)." };
        var tags = new Option<string[]>("--tag") { Description = "A tag KEY=VALUE. Repeatable." };
        var python = new Option<string?>("--python") { Description = "The Python interpreter to record when the command does not start with one." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Do not print the summary line after the run." };

        var command = new Command("run", "Run a command and record code, data, environment, params, seed, outputs and metrics. Usage: repro run [OPTIONS] -- COMMAND [ARGS...]")
        {
            name, deps, outs, metrics, parameters, paramsFiles, seed, deterministic, tags, python, quiet,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            if (context.Trailing.Count == 0)
            {
                throw ReproException.Usage("no command given: repro run [OPTIONS] -- COMMAND [ARGS...]");
            }

            await using var session = await WorkspaceSession.OpenAsync(cancellationToken);
            var request = new RunRequest
            {
                Name = parse.GetValue(name),
                Deps = parse.GetValue(deps) ?? [],
                Outs = parse.GetValue(outs) ?? [],
                MetricsFiles = parse.GetValue(metrics) ?? [],
                Params = parse.GetValue(parameters) ?? [],
                ParamsFiles = parse.GetValue(paramsFiles) ?? [],
                Seed = parse.GetValue(seed),
                Deterministic = parse.GetValue(deterministic),
                Tags = parse.GetValue(tags) ?? [],
                Python = parse.GetValue(python),
                Command = context.Trailing,
                WorkingDirectory = Environment.CurrentDirectory,
                Environment = CurrentEnvironment(),
            };

            using var interrupt = new CancellationTokenSource();
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => Interrupt(signal, interrupt));
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => Interrupt(signal, interrupt));
            using var progress = HashProgressBar.ForTerminal(context.Error, context.Time) as HashProgressBar;

            var recorder = new RunRecorder(session.Workspace, session.Store, session.Cache, new Storage.SqliteStatCache(session.Workspace.StatePath), context.Time);
            var outcome = await recorder.RecordAsync(request, WriterStream.For(context.Out, false), WriterStream.For(context.Error, true), progress, interrupt.Token);
            progress?.Dispose();

            foreach (var warning in outcome.Manifest.Warnings)
            {
                Terminal.Warning(context.Error, warning);
            }

            if (!parse.GetValue(quiet))
            {
                var run = outcome.Manifest;
                var label = run.Name is null ? run.Id[..8] : $"{run.Id[..8]} ({run.Name})";
                var status = run.Status == Domain.RunStatus.Ok ? "ok" : $"failed, exit {run.Execution.ExitCode}";
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
