using System.CommandLine;
using Repro.Blobs.Remotes;
using Repro.Capture;

namespace Repro.Cli.Commands;

/// <summary><c>repro remote list</c>: the remotes, the default marked, URLs without credentials.</summary>
public sealed class RemoteListCommand : CliCommand<RemoteSettings>
{
    public RemoteListCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var command = new Command("list", "List remotes; the default is marked.");
        command.SetAction((parse, cancellationToken) => new RemoteListCommand(context).RunAsync(new RemoteSettings(), cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(RemoteSettings settings, CancellationToken cancellationToken)
    {
        var config = await RemoteConfig.ReadAsync(Context.RequireWorkspace(), cancellationToken);
        if (config.Remotes.Count == 0)
        {
            Context.Out.WriteLine("no remotes: add one with `repro remote add NAME URL`");
        }

        foreach (var remote in config.Remotes)
        {
            Context.Out.WriteLine($"{remote.Name}\t{UrlRedactor.Redact(remote.Url)}{(config.Default?.Name == remote.Name ? "\t(default)" : string.Empty)}");
        }

        return 0;
    }
}
