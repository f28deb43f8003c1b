using System.CommandLine;
using System.Globalization;
using Repro.Cli.Rendering;
using Repro.Evidence.Bundles;
using Repro.Recording;

namespace Repro.Cli.Commands;

/// <summary><c>repro export RUN -o FILE.reprobundle [--with-data]</c>: one file another team or an auditor can import and verify.</summary>
public static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var run = new Argument<string>("run") { Description = "The run or study to export: id, prefix, name or @last." };
        var output = new Option<string>("--output", "-o") { Description = "The bundle to write (FILE.reprobundle).", Required = true };
        var withData = new Option<bool>("--with-data") { Description = "Include the inputs' bytes too (otherwise the importer pulls them from a remote)." };
        var command = new Command("export", "Write a run, its study and verifications, and the blobs they refer to, as one bundle file. Reference: docs/tracking.md") { run, output, withData };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var session = await WorkspaceSession.OpenAsync(cancellationToken);
            var id = await RunResolver.ResolveAsync(session.Store, parse.GetValue(run)!, cancellationToken);
            var exporter = new BundleExporter(session.Workspace, session.Store, session.Cache, context.Time);
            var result = await exporter.ExportAsync(id, parse.GetValue(output)!, parse.GetValue(withData), cancellationToken);
            var index = result.Index;
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"exported run {index.Subject[..8]} to {result.Path} ({Format.Bytes(result.Size)}, sha256 {result.Sha256})"));
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {index.Runs.Count} run(s), {index.Verifications.Count} verification(s), {index.Blobs.Count} blob(s), {index.Commits.Count} commit cop{(index.Commits.Count == 1 ? "y" : "ies")}; inputs {(index.WithData ? "included" : "not included")}"));
            foreach (var note in index.Notes)
            {
                Terminal.Warning(context.Error, note);
            }

            return 0;
        });
        return command;
    }
}
