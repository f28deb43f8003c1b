using System.CommandLine;
using Repro.Cli.Rendering;
using Repro.Recording;

namespace Repro.Cli.Commands;

/// <summary><c>repro show RUN [--json]</c>: every pillar of one run; --json prints the stored manifest.</summary>
public static class ShowCommand
{
    public static Command Create(CliContext context)
    {
        var run = new Argument<string>("run") { Description = "A run id, a unique id prefix (4+ characters), a run name (its newest run) or @last." };
        var json = new Option<bool>("--json") { Description = "Print the manifest: canonical JSON whose SHA-256 is the run's digest." };
        var command = new Command("show", "Show every pillar of one run. Reference: docs/run.md") { run, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var session = await WorkspaceSession.OpenAsync(cancellationToken);
            var id = await RunResolver.ResolveAsync(session.Store, parse.GetValue(run)!, cancellationToken);
            var stored = await session.Store.GetAsync(id, cancellationToken) ?? throw ReproException.Usage($"unknown run '{id}'");
            if (parse.GetValue(json))
            {
                context.Out.Write(stored.Json);
                context.Out.WriteLine();
            }
            else
            {
                ShowRenderer.Render(context.Out, stored, await session.Store.ListVerificationsAsync(id, 10, cancellationToken));
            }

            return 0;
        });
        return command;
    }
}
