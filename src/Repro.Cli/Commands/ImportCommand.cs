using System.CommandLine;
using System.Globalization;
using Repro.Cli.Rendering;
using Repro.Evidence.Bundles;

namespace Repro.Cli.Commands;

/// <summary><c>repro import FILE.reprobundle</c>: take in a bundle, checking every record and blob, so <c>repro verify RUN</c> works here.</summary>
public sealed class ImportCommand : CliCommand<ImportSettings>
{
    public ImportCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var bundle = new Argument<string>("bundle") { Description = "A .reprobundle written by `repro export`." };
        var command = new Command("import", "Import a bundle from `repro export`: every record and blob is checked by hash before it is accepted. `repro import mlruns PATH` imports an MLflow file store. Reference: docs/tracking.md") { bundle, MlrunsImportCommand.Create(context) };
        command.SetAction((parse, cancellationToken) => new ImportCommand(context).RunAsync(
            new ImportSettings
            {
                Bundle = parse.GetValue(bundle)!,
            },
            cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(ImportSettings settings, CancellationToken cancellationToken)
    {
        await using var session = await Context.OpenWorkspaceAsync(cancellationToken);
        var importer = new BundleImporter(session.Workspace, session.Store, session.Cache, Context.Time);
        var result = await importer.ImportAsync(Context.FullPath(settings.Bundle), cancellationToken);
        Context.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"imported run {result.Subject[..8]}: {result.RunsImported.Count} run(s) new, {result.RunsAlreadyHere.Count} already here, {result.VerificationsImported.Count} verification(s), {result.BlobsAdded} blob(s) added (bundle sha256 {result.Sha256})"));
        Context.Out.WriteLine($"next: repro verify {result.Subject[..8]}{(result.WithData ? string.Empty : "   (inputs were not in the bundle: `repro data pull` them from a remote first)")}");
        foreach (var note in result.Notes)
        {
            Terminal.Warning(Context, note);
        }

        return 0;
    }
}
