using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Repro.Cli.Rendering;
using Repro.Recording;

namespace Repro.Cli.Commands;

/// <summary><c>repro model register NAME RUN --out PATH</c>: one declared output of a recorded run as the next numbered version of a model.</summary>
public sealed class ModelRegisterCommand : CliCommand<ModelRegisterSettings>
{
    public ModelRegisterCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The model's name: letters, digits, '.', '_' and '-'." };
        var run = new Argument<string>("run") { Description = "A run id, a unique id prefix (4+ characters), a run name (its newest run) or @last." };
        var output = new Option<string>("--out") { Description = "The declared output of the run that is the model (as `repro run --out` recorded it).", Required = true };
        var alias = new Option<string[]>("--alias") { Description = "Point this alias at the new version (repeatable), e.g. champion.", AllowMultipleArgumentsPerToken = false };
        var allowFailed = new Option<bool>("--allow-failed") { Description = "Register an output of a run that failed." };
        var json = new Option<bool>("--json") { Description = "Print the registered version as JSON." };
        var command = new Command("register", "Make one declared output of a recorded run the next numbered version of model NAME.") { name, run, output, alias, allowFailed, json };
        command.SetAction((parse, cancellationToken) => new ModelRegisterCommand(context).RunAsync(
            new ModelRegisterSettings
            {
                Name = parse.GetValue(name)!,
                Run = parse.GetValue(run)!,
                Output = parse.GetValue(output)!,
                Aliases = parse.GetValue(alias) ?? [],
                AllowFailed = parse.GetValue(allowFailed),
                Json = parse.GetValue(json),
            },
            cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(ModelRegisterSettings settings, CancellationToken cancellationToken)
    {
        await using var session = await Context.OpenWorkspaceAsync(cancellationToken);
        var id = await RunResolver.ResolveAsync(session.Store, settings.Run, cancellationToken);
        var registry = await ModelCommand.OpenAsync(session, Context, cancellationToken);
        var registered = await registry.RegisterAsync(settings.Name, id, ModelCommand.RelativeOutput(Context, session, settings.Output), settings.Aliases, settings.AllowFailed, cancellationToken);
        if (settings.Json)
        {
            ModelCommand.WriteJson(Context, registered);
            return 0;
        }

        var v = registered.Version;
        Context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"registered {v.Name} version {v.Version}{ModelCommand.Aliases(registered.Aliases)}: {v.Output.Path} (sha256 {Format.Short(v.Output.Sha256)}) from run {v.Run.Id[..8]}"));
        if (v.Code.Dirty)
        {
            Terminal.Warning(Context, $"run {v.Run.Id[..8]} had uncommitted changes: its diff (sha256 {Format.Short(v.Code.DiffSha256)}) is part of the lineage");
        }

        if (v.Verifications.Count == 0)
        {
            Terminal.Note(Context, $"run {v.Run.Id[..8]} has not been verified yet: `repro verify {v.Run.Id[..8]}` shows whether it reproduces");
        }

        return 0;
    }
}
