using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Repro.Interop.Models;

namespace Repro.Cli.Commands;

/// <summary><c>repro model alias NAME@ALIAS VERSION</c>: points an alias of a model at one of its versions.</summary>
public sealed class ModelAliasCommand : CliCommand<ModelAliasSettings>
{
    public ModelAliasCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var target = new Argument<string>("name@alias") { Description = "The model and the alias to move, e.g. fraud@champion." };
        var version = new Argument<long>("version") { Description = "The version the alias points at from now on." };
        var command = new Command("alias", "Point an alias (e.g. @champion) of a model at one of its versions.") { target, version };
        command.SetAction((parse, cancellationToken) => new ModelAliasCommand(context).RunAsync(
            new ModelAliasSettings
            {
                Target = parse.GetValue(target)!,
                Version = parse.GetValue(version),
            },
            cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(ModelAliasSettings settings, CancellationToken cancellationToken)
    {
        var reference = ModelReference.Parse(settings.Target);
        if (reference.Alias is null)
        {
            throw ReproException.Usage($"give the alias as NAME@ALIAS, e.g. {reference.Name}@champion");
        }

        await using var session = await Context.OpenWorkspaceAsync(cancellationToken);
        var registry = await ModelCommand.OpenAsync(session, Context, cancellationToken);
        var to = settings.Version;
        var before = await registry.SetAliasAsync(reference.Name, reference.Alias, to, cancellationToken);
        Context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{reference} -> version {to}{(before is { } b && b != to ? $" (was version {b})" : before is null ? " (new alias)" : " (unchanged)")}"));
        return 0;
    }
}
