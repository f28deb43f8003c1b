using System.CommandLine;
using System.Globalization;
using Repro.Cli.Rendering;
using Repro.Evidence.Bundles;
using Repro.Interop.Tracking;

namespace Repro.Cli.Commands;

/// <summary><c>repro import FILE.reprobundle</c>: take in a bundle, checking every record and blob, so <c>repro verify RUN</c> works here.</summary>
public static class ImportCommand
{
    public static Command Create(CliContext context)
    {
        var bundle = new Argument<string>("bundle") { Description = "A .reprobundle written by `repro export`." };
        var command = new Command("import", "Import a bundle from `repro export`: every record and blob is checked by hash before it is accepted. `repro import mlruns PATH` imports an MLflow file store. Reference: docs/tracking.md") { bundle, MlrunsCommand(context) };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var session = await WorkspaceSession.OpenAsync(cancellationToken);
            var importer = new BundleImporter(session.Workspace, session.Store, session.Cache, context.Time);
            var result = await importer.ImportAsync(parse.GetValue(bundle)!, cancellationToken);
            context.Out.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"imported run {result.Subject[..8]}: {result.RunsImported.Count} run(s) new, {result.RunsAlreadyHere.Count} already here, {result.VerificationsImported.Count} verification(s), {result.BlobsAdded} blob(s) added (bundle sha256 {result.Sha256})"));
            context.Out.WriteLine($"next: repro verify {result.Subject[..8]}{(result.WithData ? string.Empty : "   (inputs were not in the bundle: `repro data pull` them from a remote first)")}");
            foreach (var note in result.Notes)
            {
                Terminal.Warning(context.Error, note);
            }

            return 0;
        });
        return command;
    }

    private static Command MlrunsCommand(CliContext context)
    {
        var path = new Argument<string>("path") { Description = "An MLflow file store folder (usually ./mlruns)." };
        var command = new Command("mlruns", "Import an MLflow file store (mlruns/) as repro runs with their experiments, params, tags and full metric history; importing again adds nothing.") { path };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var session = await WorkspaceSession.OpenAsync(cancellationToken);
            var database = await session.OpenDatabaseAsync(cancellationToken);
            using var tracking = await TrackingStore.OpenAsync(database, session.Store, context.Time, TrackingStore.ArtifactRootFor(session.Workspace.ReproDirectory), cancellationToken);
            var result = await new MlrunsImporter(tracking).ImportAsync(parse.GetValue(path)!, cancellationToken);
            foreach (var (folder, reason) in result.Skipped)
            {
                Terminal.Warning(context.Error, $"skipped {folder}: {reason}");
            }

            context.Out.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"imported {result.Imported.Count} run(s) with {result.MetricPoints} metric point(s); {result.AlreadyHere.Count} already here; {result.Skipped.Count} skipped; {result.ExperimentsCreated.Count} experiment(s) created"));
            if (result.Imported.Count > 0)
            {
                context.Out.WriteLine("next: repro runs   (or browse them with repro ui)");
            }

            return result.Skipped.Count > 0 ? (int)ExitCode.Differs : 0;
        });
        return command;
    }
}
