using System.CommandLine;
using Repro.Blobs.Storage;
using Repro.Cli.Rendering;
using Repro.Model.Workspaces;

namespace Repro.Cli.Commands;

/// <summary><c>repro init [--store URL]</c>: creates .repro/ (store, cache, config) in the current folder.</summary>
public static class InitCommand
{
    public static Command Create(CliContext context)
    {
        var store = new Option<string?>("--store") { Description = "Keep runs on a PostgreSQL server: postgresql://USER@HOST:PORT/DB (saved in .repro/config.yaml without any password). Default: .repro/repro.db." };
        var command = new Command("init", "Create .repro/ in the current folder (a git repository or not). Reference: docs/run.md") { store };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var requested = parse.GetValue(store);
            var (workspace, created) = Workspace.Init(Environment.CurrentDirectory);
            var location = requested is null
                ? await StoreLocation.ResolveAsync(workspace, Environment.GetEnvironmentVariable, cancellationToken)
                : StoreLocation.Parse(workspace, requested, "--store");

            // Open it first: a server that cannot be reached is not written into the config.
            await using (await WorkspaceSession.OpenAsync(workspace, location, cancellationToken))
            {
            }

            if (requested is not null)
            {
                await location.WriteConfiguredAsync(cancellationToken);
            }

            context.Out.WriteLine(created
                ? $"Initialised an empty repro workspace in {workspace.ReproDirectory}"
                : requested is not null
                    ? $"repro workspace in {workspace.ReproDirectory}: store set in .repro/config.yaml"
                    : $"repro workspace already initialised in {workspace.ReproDirectory} (nothing changed)");
            context.Out.WriteLine($"runs are stored in {location.Display}{(location.Origin == StoreLocation.Variable ? " (from REPRO_STORE)" : string.Empty)}");
            if (location.Postgres is { HasPassword: true })
            {
                Terminal.Note(context.Error, "the password in the URL was used once and not saved; supply it with PGPASSWORD or a ~/.pgpass line (HOST:PORT:DB:USER:PASSWORD)");
            }

            return 0;
        });
        return command;
    }
}
