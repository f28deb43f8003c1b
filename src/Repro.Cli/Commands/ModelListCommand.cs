using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Repro.Cli.Rendering;

namespace Repro.Cli.Commands;

/// <summary><c>repro model list</c>: every registered model with its versions, latest and aliases.</summary>
public sealed class ModelListCommand : CliCommand<ModelShowSettings>
{
    public ModelListCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array." };
        var command = new Command("list", "List registered models: versions, latest, aliases.") { json };
        command.SetAction((parse, cancellationToken) => new ModelListCommand(context).RunAsync(
            new ModelShowSettings
            {
                Json = parse.GetValue(json),
            },
            cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(ModelShowSettings settings, CancellationToken cancellationToken)
    {
        await using var session = await Context.OpenWorkspaceAsync(cancellationToken);
        var registry = await ModelCommand.OpenAsync(session, Context, cancellationToken);
        var models = await registry.ListAsync(cancellationToken);
        if (settings.Json)
        {
            ModelCommand.WriteJson(Context, models);
            return 0;
        }

        if (models.Count == 0)
        {
            Context.Out.WriteLine("no models registered yet: try `repro model register NAME RUN --out PATH`");
            return 0;
        }

        var table = new TableWriter("NAME", "VERSIONS", "LATEST", "ALIASES", "UPDATED");
        foreach (var model in models)
        {
            table.Add(
                model.Name,
                model.Versions.ToString(CultureInfo.InvariantCulture),
                model.Latest.ToString(CultureInfo.InvariantCulture),
                model.Aliases.Count == 0 ? "-" : string.Join(" ", model.Aliases.Select(a => string.Create(CultureInfo.InvariantCulture, $"@{a.Key}={a.Value}"))),
                Format.Time(model.UpdatedAt));
        }

        table.Write(Context.Out);
        return 0;
    }
}
