using System.CommandLine;
using System.Globalization;
using Repro.Cli.Rendering;
using Repro.Interop.Tracking;

namespace Repro.Cli.Commands;

/// <summary><c>repro import mlruns PATH</c>: an MLflow file store imported as repro runs, with experiments, params, tags and metric history.</summary>
public sealed class MlrunsImportCommand : CliCommand<MlrunsImportSettings>
{
    public MlrunsImportCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var path = new Argument<string>("path") { Description = "An MLflow file store folder (usually ./mlruns)." };
        var command = new Command("mlruns", "Import an MLflow file store (mlruns/) as repro runs with their experiments, params, tags and full metric history; importing again adds nothing.") { path };
        command.SetAction((parse, cancellationToken) => new MlrunsImportCommand(context).RunAsync(
            new MlrunsImportSettings
            {
                Path = parse.GetValue(path)!,
            },
            cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(MlrunsImportSettings settings, CancellationToken cancellationToken)
    {
        await using var session = await Context.OpenWorkspaceAsync(cancellationToken);
        var database = await session.OpenDatabaseAsync(cancellationToken);
        using var tracking = await database.OpenTrackingAsync(session.Store, Context.Time, TrackingDefaults.ArtifactRootFor(session.Workspace.ReproDirectory), cancellationToken);
        var result = await new MlrunsImporter(tracking).ImportAsync(Context.FullPath(settings.Path), cancellationToken);
        foreach (var (folder, reason) in result.Skipped)
        {
            Terminal.Warning(Context, $"skipped {folder}: {reason}");
        }

        Context.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"imported {result.Imported.Count} run(s) with {result.MetricPoints} metric point(s); {result.AlreadyHere.Count} already here; {result.Skipped.Count} skipped; {result.ExperimentsCreated.Count} experiment(s) created"));
        if (result.Imported.Count > 0)
        {
            Context.Out.WriteLine("next: repro runs   (or browse them with repro ui)");
        }

        return result.Skipped.Count > 0 ? (int)ExitCode.Differs : 0;
    }
}
