using System.CommandLine;
using Repro.Cli.Rendering;
using Repro.Recording;

namespace Repro.Cli.Commands;

/// <summary><c>repro show RUN [--json]</c>: every pillar of one run; --json prints the stored manifest.</summary>
public sealed class ShowCommand : CliCommand<ShowSettings>
{
    public ShowCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var run = new Argument<string>("run") { Description = "A run id, a unique id prefix (4+ characters), a run name (its newest run) or @last." };
        var json = new Option<bool>("--json") { Description = "Print the manifest: canonical JSON whose SHA-256 is the run's digest." };
        var command = new Command("show", "Show every pillar of one run. Reference: docs/run.md") { run, json };
        command.SetAction((parse, cancellationToken) => new ShowCommand(context).RunAsync(new ShowSettings { Run = parse.GetValue(run)!, Json = parse.GetValue(json) }, cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(ShowSettings settings, CancellationToken cancellationToken)
    {
        await using var session = await Context.OpenWorkspaceAsync(cancellationToken);
        var id = await RunResolver.ResolveAsync(session.Store, settings.Run, cancellationToken);
        var stored = await session.Store.GetAsync(id, cancellationToken) ?? throw ReproException.NotFound($"unknown run '{id}'");
        if (settings.Json)
        {
            Context.Out.Write(stored.Json);
            Context.Out.WriteLine();
        }
        else
        {
            ShowRenderer.Render(Context.Out, stored, await session.Store.ListVerificationsAsync(id, 10, cancellationToken));
        }

        return 0;
    }
}
