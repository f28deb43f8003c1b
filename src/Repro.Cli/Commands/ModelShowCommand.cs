using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Repro.Interop.Models;

namespace Repro.Cli.Commands;

/// <summary><c>repro model show MODEL</c>: a model version and its lineage (run, code, data, environment, verifications).</summary>
public sealed class ModelShowCommand : CliCommand<ModelShowSettings>
{
    public ModelShowCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var reference = new Argument<string>("model") { Description = "NAME (its latest version), NAME@ALIAS or NAME/VERSION." };
        var json = new Option<bool>("--json") { Description = "Print the version and its lineage as JSON." };
        var command = new Command("show", "Show a model version's lineage: the run, code commit, data hashes, environment and verifications that produced it.") { reference, json };
        command.SetAction((parse, cancellationToken) => new ModelShowCommand(context).RunAsync(
            new ModelShowSettings
            {
                Reference = parse.GetValue(reference)!,
                Json = parse.GetValue(json),
            },
            cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(ModelShowSettings settings, CancellationToken cancellationToken)
    {
        var parsed = ModelReference.Parse(settings.Reference);
        await using var session = await Context.OpenWorkspaceAsync(cancellationToken);
        var registry = await ModelCommand.OpenAsync(session, Context, cancellationToken);
        var registered = await registry.GetAsync(parsed, cancellationToken);

        // Verifications made after the registration belong to the answer as well.
        var current = await session.Store.ListVerificationsAsync(registered.Version.Run.Id, 0, cancellationToken);
        var known = registered.Version.Verifications.Select(v => v.Id).ToHashSet(StringComparer.Ordinal);
        var later = current.Where(v => !known.Contains(v.Report.Id)).OrderBy(v => v.Report.VerifiedAt).Select(v => new ModelVerification
        {
            Id = v.Report.Id,
            Verdict = v.Report.Verdict.ToString().ToUpperInvariant(),
            VerifiedAt = v.Report.VerifiedAt,
            Summary = v.Report.Summary,
            Digest = v.Digest,
        }).ToList();
        var runStillStored = await session.Store.GetAsync(registered.Version.Run.Id, cancellationToken);
        if (settings.Json)
        {
            ModelCommand.WriteJson(Context, new ModelVersionAnswer(registered.Version, registered.Digest, registered.Aliases, later, runStillStored?.Digest));
            return 0;
        }

        ModelCommand.Render(Context.Out, registered, later, runStillStored?.Digest);
        return 0;
    }
}
