using System.CommandLine;
using Repro.Blobs.Storage;
using Repro.Cli.Rendering;
using Repro.Model.Workspaces;
using Repro.Storage.Sql;

namespace Repro.Cli.Commands;

/// <summary><c>repro init [--store URL]</c>: creates .repro/ (store, cache, config) in the current folder.</summary>
public sealed class InitCommand : CliCommand<InitSettings>
{
    public InitCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var store = new Option<string?>("--store") { Description = "Keep runs on a PostgreSQL server: postgresql://USER@HOST:PORT/DB (saved in .repro/config.yaml without any password). Default: .repro/repro.db." };
        var command = new Command("init", "Create .repro/ in the current folder (a git repository or not). Reference: docs/run.md") { store };
        command.SetAction((parse, cancellationToken) => new InitCommand(context).RunAsync(
            new InitSettings
            {
                Store = parse.GetValue(store),
            },
            cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(InitSettings settings, CancellationToken cancellationToken)
    {
        var requested = settings.Store;
        var (workspace, created) = Workspace.Init(Context.WorkingDirectory);
        var location = requested is null
            ? await StoreLocation.ResolveAsync(workspace, Context.Variable, cancellationToken)
            : StoreLocation.Parse(workspace, requested, "--store");

        // Open it first: a server that cannot be reached is not written into the config.
        await using (await WorkspaceSession.OpenAsync(workspace, location, Context.Variable, cancellationToken))
        {
        }

        if (requested is not null)
        {
            await location.WriteConfiguredAsync(cancellationToken);
        }

        Context.Out.WriteLine(created
            ? $"Initialised an empty repro workspace in {workspace.ReproDirectory}"
            : requested is not null
                ? $"repro workspace in {workspace.ReproDirectory}: store set in .repro/config.yaml"
                : $"repro workspace already initialised in {workspace.ReproDirectory} (nothing changed)");
        Context.Out.WriteLine($"runs are stored in {location.Display}{(location.Origin == StoreLocation.Variable ? " (from REPRO_STORE)" : string.Empty)}");
        if (location.Postgres is { HasPassword: true })
        {
            Terminal.Note(Context, "the password in the URL was used once and not saved; supply it with PGPASSWORD or a ~/.pgpass line (HOST:PORT:DB:USER:PASSWORD)");
        }

        return 0;
    }
}
