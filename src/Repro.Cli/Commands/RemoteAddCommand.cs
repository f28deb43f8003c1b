using System.CommandLine;
using Repro.Blobs.Remotes;
using Repro.Capture;

namespace Repro.Cli.Commands;

/// <summary><c>repro remote add NAME URL [--default]</c>: a remote saved by name and URL (credentials stay in the environment).</summary>
public sealed class RemoteAddCommand : CliCommand<RemoteSettings>
{
    public RemoteAddCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "A short name, e.g. origin." };
        var url = new Argument<string>("url") { Description = "s3://bucket/prefix, file:///shared/folder or a folder path." };
        var makeDefault = new Option<bool>("--default", "-d") { Description = "Make it the default remote (the first one added is the default otherwise)." };
        var command = new Command("add", "Add a remote; credentials come from the AWS variables or ~/.aws, never from repro's files.") { name, url, makeDefault };
        command.SetAction((parse, cancellationToken) => new RemoteAddCommand(context).RunAsync(
            new RemoteSettings { Name = parse.GetValue(name)!, Url = parse.GetValue(url)!, MakeDefault = parse.GetValue(makeDefault) },
            cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(RemoteSettings settings, CancellationToken cancellationToken)
    {
        var workspace = Context.RequireWorkspace();
        var config = await RemoteConfig.ReadAsync(workspace, cancellationToken);
        var spec = new RemoteSpec(settings.Name, settings.Url);
        var updated = config.Add(spec, settings.MakeDefault);
        await updated.WriteAsync(workspace, cancellationToken);
        var isDefault = updated.Default?.Name == spec.Name;
        Context.Out.WriteLine($"added remote {spec.Name} → {UrlRedactor.Redact(spec.Url)}{(isDefault ? " (default)" : string.Empty)}");
        return 0;
    }
}
