using System.CommandLine;
using Repro.Storage;
using Repro.Workspaces;

namespace Repro.Cli.Commands;

/// <summary><c>repro init</c>: creates .repro/ (store, cache, config) in the current folder.</summary>
public static class InitCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("init", "Create .repro/ in the current folder (a git repository or not).");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (workspace, created) = Workspace.Init(Environment.CurrentDirectory);
            await using (await SqliteRunStore.OpenAsync(workspace.DatabasePath, cancellationToken))
            {
            }

            context.Out.WriteLine(created
                ? $"Initialised an empty repro workspace in {workspace.ReproDirectory}"
                : $"repro workspace already initialised in {workspace.ReproDirectory} (nothing changed)");
            return 0;
        });
        return command;
    }
}
