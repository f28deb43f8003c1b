using System.CommandLine;

namespace Repro.Cli.Commands;

/// <summary><c>repro remote add|list|remove</c>: named places for data blobs, kept in .repro/config.yaml (name and URL only).</summary>
public static class RemoteCommand
{
    public static Command Create(CliContext context) =>
        new("remote", "Manage remotes: where `repro data push/pull` send and fetch data. Reference: docs/data.md")
        {
            RemoteAddCommand.Create(context), RemoteListCommand.Create(context), RemoteRemoveCommand.Create(context),
        };
}
