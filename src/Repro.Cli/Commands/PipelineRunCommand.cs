using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Repro.Blobs.Storage;
using Repro.Cli.Rendering;
using Repro.Interop.Dvc;
using Repro.Model.Workspaces;
using Repro.Recording;
using Repro.Recording.Pipelines;

namespace Repro.Cli.Commands;

/// <summary><c>repro pipeline run [STAGE...] [--force] [--dry-run]</c>: the stages whose command, deps, params or outs changed, in dependency order, each recorded as a run.</summary>
public sealed class PipelineRunCommand : CliCommand<PipelineRunSettings>
{
    public PipelineRunCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var stages = new Argument<string[]>("stage") { Description = "Only these stages and the stages they depend on (default: all).", Arity = ArgumentArity.ZeroOrMore };
        var force = new Option<bool>("--force", "-f") { Description = "Re-run the selected stages even when nothing changed." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would run and why; run nothing, write nothing." };
        var command = new Command("run", "Run the stages whose command, deps, params or outs changed, in dependency order; each is recorded as a run.")
        {
            stages, force, dryRun,
        };

        command.SetAction((parse, cancellationToken) => new PipelineRunCommand(context).RunAsync(
            new PipelineRunSettings
            {
                Stages = parse.GetValue(stages) ?? [],
                Force = parse.GetValue(force),
                DryRun = parse.GetValue(dryRun),
                CommandGiven = context.Trailing.Count > 0,
            },
            cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(PipelineRunSettings settings, CancellationToken cancellationToken)
    {
        await using var session = await Context.OpenWorkspaceAsync(cancellationToken);
        var format = PipelineProject.Open(session.Workspace.Root, session.Cache, session.StatCaches, Context.Time);

        // One pipeline run at a time per workspace: two would race on the lock file and the outputs.
        using var exclusive = Exclusive(Path.Combine(session.Workspace.ReproDirectory, "pipeline.lock"));
        var options = new PipelineRunOptions { Targets = settings.Stages, Force = settings.Force, DryRun = settings.DryRun };

        // Ctrl+C stops the command, not repro: what ran so far is still recorded and reported.
        using var interrupts = Context.Interrupts.Hold();

        var statCache = session.StatCache();
        var recorder = new RunRecorder(session.Workspace, session.Store, session.Cache, statCache, Context.Time);
        var runner = new PipelineRunner(format, recorder, new ArtifactHasher(session.Cache, statCache, Context.Time));
        int ran = 0, skipped = 0;
        var events = new SynchronousProgress<PipelineEvent>(e =>
        {
            var why = e.Reasons.Count == 0 ? string.Empty : $" ({string.Join("; ", e.Reasons)})";
            switch (e.Kind)
            {
                case PipelineEventKind.Skipped:
                    skipped++;
                    Context.Out.WriteLine($"{e.Stage}: unchanged, skipped");
                    break;
                case PipelineEventKind.Frozen:
                    skipped++;
                    Context.Out.WriteLine($"{e.Stage}: frozen, skipped");
                    break;
                case PipelineEventKind.WouldRun:
                    ran++;
                    Context.Out.WriteLine($"{e.Stage}: would run{why}");
                    break;
                case PipelineEventKind.Running:
                    Context.Out.WriteLine($"{e.Stage}: running{why}");
                    Context.Out.Flush();
                    break;
                case PipelineEventKind.Succeeded:
                    ran++;
                    Context.Out.WriteLine($"{e.Stage}: done, recorded run {e.RunId![..8]}; {format.Definition.LockName} updated");
                    break;
                case PipelineEventKind.Failed:
                    Context.Out.Flush();
                    Terminal.Error(Context, $"stage '{e.Stage}' failed (exit {e.ExitCode}), recorded as run {e.RunId![..8]}; later stages were not run and {format.Definition.LockName} keeps its old entry for it");
                    break;
            }
        });

        var code = await runner.RunAsync(options, Context.EnvironmentCopy(), Context.OutStream, Context.ErrorStream, events, Context.Interrupts.Token);
        if (code == 0)
        {
            Terminal.Note(Context, options.DryRun
                ? $"dry run: {ran} stage(s) would run, {skipped} unchanged; nothing was run or written"
                : ran == 0 ? $"pipeline up to date ({format.Definition.DefinitionName})" : $"{ran} stage(s) ran, {skipped} unchanged");
        }

        return code;
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
}
