using System.CommandLine;
using Repro.Blobs.Remotes;

namespace Repro.Cli.Commands;

/// <summary><c>repro remote remove NAME</c>: forgets a remote; nothing on it is deleted.</summary>
public sealed class RemoteRemoveCommand : CliCommand<RemoteSettings>
{
    public RemoteRemoveCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The remote to remove (its data stays where it is)." };
        var command = new Command("remove", "Forget a remote (nothing on the remote is deleted).") { name };
        command.SetAction((parse, cancellationToken) => new RemoteRemoveCommand(context).RunAsync(new RemoteSettings { Name = parse.GetValue(name)! }, cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(RemoteSettings settings, CancellationToken cancellationToken)
    {
        var workspace = Context.RequireWorkspace();
        var config = (await RemoteConfig.ReadAsync(workspace, cancellationToken)).Remove(settings.Name);
        await config.WriteAsync(workspace, cancellationToken);
        Context.Out.WriteLine($"removed remote {settings.Name}");
        return 0;
    }
}
