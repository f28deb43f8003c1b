using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using Repro.Blobs.Storage;
using Repro.Cli.Rendering;
using Repro.Interop.Dvc;
using Repro.Model.Workspaces;
using Repro.Recording;
using Repro.Recording.Pipelines;

namespace Repro.Cli.Commands;

/// <summary>
/// <c>repro pipeline run|status</c>: re-run only the stages whose command, deps, params or outs
/// changed (repro.yaml/repro.lock, or a DVC project's dvc.yaml/dvc.lock as it is).
/// </summary>
public static class PipelineCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("pipeline", "Run and check the stages of repro.yaml (or of a DVC project's dvc.yaml): only what changed re-runs. Reference: docs/pipelines.md")
        {
            CreateRun(context),
            CreateStatus(context),
        };
        return command;
    }

    private static Command CreateRun(CliContext context)
    {
        var stages = new Argument<string[]>("stage") { Description = "Only these stages and the stages they depend on (default: all).", Arity = ArgumentArity.ZeroOrMore };
        var force = new Option<bool>("--force", "-f") { Description = "Re-run the selected stages even when nothing changed." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would run and why; run nothing, write nothing." };
        var command = new Command("run", "Run the stages whose command, deps, params or outs changed, in dependency order; each is recorded as a run.")
        {
            stages, force, dryRun,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            if (context.Trailing.Count > 0)
            {
                throw ReproException.Usage("'pipeline run' takes no command after '--'; stages are declared in repro.yaml");
            }

            await using var session = await WorkspaceSession.OpenAsync(cancellationToken);
            var format = PipelineProject.Open(session.Workspace.Root, session.Cache, session.Workspace.StatePath, context.Time);

            // One pipeline run at a time per workspace: two would race on the lock file and the outputs.
            using var exclusive = Exclusive(Path.Combine(session.Workspace.ReproDirectory, "pipeline.lock"));
            var options = new PipelineRunOptions { Targets = parse.GetValue(stages) ?? [], Force = parse.GetValue(force), DryRun = parse.GetValue(dryRun) };

            using var interrupt = new CancellationTokenSource();
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => RunCommand.Interrupt(signal, interrupt));
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => RunCommand.Interrupt(signal, interrupt));

            var statCache = new SqliteStatCache(session.Workspace.StatePath);
            var recorder = new RunRecorder(session.Workspace, session.Store, session.Cache, statCache, context.Time);
            var runner = new PipelineRunner(format, recorder, new ArtifactHasher(session.Cache, statCache, context.Time));
            int ran = 0, skipped = 0;
            var events = new SynchronousProgress<PipelineEvent>(e =>
            {
                var why = e.Reasons.Count == 0 ? string.Empty : $" ({string.Join("; ", e.Reasons)})";
                switch (e.Kind)
                {
                    case PipelineEventKind.Skipped:
                        skipped++;
                        context.Out.WriteLine($"{e.Stage}: unchanged, skipped");
                        break;
                    case PipelineEventKind.Frozen:
                        skipped++;
                        context.Out.WriteLine($"{e.Stage}: frozen, skipped");
                        break;
                    case PipelineEventKind.WouldRun:
                        ran++;
                        context.Out.WriteLine($"{e.Stage}: would run{why}");
                        break;
                    case PipelineEventKind.Running:
                        context.Out.WriteLine($"{e.Stage}: running{why}");
                        context.Out.Flush();
                        break;
                    case PipelineEventKind.Succeeded:
                        ran++;
                        context.Out.WriteLine($"{e.Stage}: done, recorded run {e.RunId![..8]}; {format.Definition.LockName} updated");
                        break;
                    case PipelineEventKind.Failed:
                        context.Out.Flush();
                        Terminal.Error(context.Error, $"stage '{e.Stage}' failed (exit {e.ExitCode}), recorded as run {e.RunId![..8]}; later stages were not run and {format.Definition.LockName} keeps its old entry for it");
                        break;
                }
            });

            var code = await runner.RunAsync(options, RunCommand.CurrentEnvironment(), WriterStream.For(context.Out, false), WriterStream.For(context.Error, true), events, interrupt.Token);
            if (code == 0)
            {
                Terminal.Note(context.Error, options.DryRun
                    ? $"dry run: {ran} stage(s) would run, {skipped} unchanged; nothing was run or written"
                    : ran == 0 ? $"pipeline up to date ({format.Definition.DefinitionName})" : $"{ran} stage(s) ran, {skipped} unchanged");
            }

            return code;
        });
        return command;
    }

    private static FileStream Exclusive(string path)
    {
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException)
        {
            throw ReproException.CannotExecute("another `repro pipeline run` is running in this workspace; wait for it to finish");
        }
    }

    private static Command CreateStatus(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array of {stage, status, changes}." };
        var command = new Command("status", "Which stages changed since they last ran, and why (exit 1 when any did).") { json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // Reading needs no workspace: a DVC project can be checked before `repro init`.
            var workspace = Workspace.Find(Environment.CurrentDirectory);
            var root = workspace?.Root ?? Environment.CurrentDirectory;
            var cache = new ContentCache(workspace?.CachePath ?? Path.Combine(root, Workspace.DirectoryName, "cache"));
            var format = PipelineProject.Open(root, cache, workspace is not null && Directory.Exists(workspace.ReproDirectory) ? workspace.StatePath : null, context.Time);
            var statuses = await PipelineProject.StatusAsync(format, cancellationToken);
            if (parse.GetValue(json))
            {
                using var stream = new MemoryStream();
                using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                {
                    writer.WriteStartArray();
                    foreach (var status in statuses)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("stage", status.Stage);
                        writer.WriteString("status", status.Changed ? "changed" : "unchanged");
                        writer.WriteBoolean("frozen", status.Frozen);
                        writer.WriteStartArray("changes");
                        foreach (var change in status.Changes)
                        {
                            writer.WriteStringValue(change);
                        }

                        writer.WriteEndArray();
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                }

                context.Out.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
            }
            else
            {
                foreach (var status in statuses)
                {
                    context.Out.WriteLine($"{status.Stage}: {(status.Changed ? "changed" : "unchanged")}{(status.Frozen ? " (frozen)" : string.Empty)}");
                    foreach (var change in status.Changes)
                    {
                        context.Out.WriteLine($"  {change}");
                    }
                }

                if (statuses.Count == 0)
                {
                    context.Out.WriteLine($"{format.Definition.DefinitionName} has no stages");
                }
            }

            return statuses.Any(s => s.Changed) ? (int)ExitCode.Differs : (int)ExitCode.Ok;
        });
        return command;
    }
}
