using System.CommandLine;
using Repro.Blobs.Remotes;
using Repro.Capture;
using Repro.Model.Workspaces;

namespace Repro.Cli.Commands;

/// <summary><c>repro remote add|list|remove</c>: named places for data blobs, kept in .repro/config.yaml (name and URL only).</summary>
public static class RemoteCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "A short name, e.g. origin." };
        var url = new Argument<string>("url") { Description = "s3://bucket/prefix, file:///shared/folder or a folder path." };
        var makeDefault = new Option<bool>("--default", "-d") { Description = "Make it the default remote (the first one added is the default otherwise)." };
        var add = new Command("add", "Add a remote; credentials come from the AWS variables or ~/.aws, never from repro's files.") { name, url, makeDefault };
        add.SetAction(async (parse, cancellationToken) =>
        {
            var workspace = Workspace.Require(Environment.CurrentDirectory);
            var config = await RemoteConfig.ReadAsync(workspace, cancellationToken);
            var spec = new RemoteSpec(parse.GetValue(name)!, parse.GetValue(url)!);
            var updated = config.Add(spec, parse.GetValue(makeDefault));
            await updated.WriteAsync(workspace, cancellationToken);
            var isDefault = updated.Default?.Name == spec.Name;
            context.Out.WriteLine($"added remote {spec.Name} → {UrlRedactor.Redact(spec.Url)}{(isDefault ? " (default)" : string.Empty)}");
            return 0;
        });

        var list = new Command("list", "List remotes; the default is marked.");
        list.SetAction(async (parse, cancellationToken) =>
        {
            var config = await RemoteConfig.ReadAsync(Workspace.Require(Environment.CurrentDirectory), cancellationToken);
            if (config.Remotes.Count == 0)
            {
                context.Out.WriteLine("no remotes: add one with `repro remote add NAME URL`");
            }

            foreach (var remote in config.Remotes)
            {
                context.Out.WriteLine($"{remote.Name}\t{UrlRedactor.Redact(remote.Url)}{(config.Default?.Name == remote.Name ? "\t(default)" : string.Empty)}");
            }

            return 0;
        });

        var removeName = new Argument<string>("name") { Description = "The remote to remove (its data stays where it is)." };
        var remove = new Command("remove", "Forget a remote (nothing on the remote is deleted).") { removeName };
        remove.SetAction(async (parse, cancellationToken) =>
        {
            var workspace = Workspace.Require(Environment.CurrentDirectory);
            var config = (await RemoteConfig.ReadAsync(workspace, cancellationToken)).Remove(parse.GetValue(removeName)!);
            await config.WriteAsync(workspace, cancellationToken);
            context.Out.WriteLine($"removed remote {parse.GetValue(removeName)}");
            return 0;
        });

        return new Command("remote", "Manage remotes: where `repro data push/pull` send and fetch data. Reference: docs/data.md") { add, list, remove };
    }
}
