using System.CommandLine;
using System.Globalization;
using Repro.Cli.Rendering;
using Repro.Evidence.Bundles;
using Repro.Recording;

namespace Repro.Cli.Commands;

/// <summary><c>repro export RUN -o FILE.reprobundle [--with-data]</c>: one file another team or an auditor can import and verify.</summary>
public sealed class ExportCommand : CliCommand<ExportSettings>
{
    public ExportCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var run = new Argument<string>("run") { Description = "The run or study to export: id, prefix, name or @last." };
        var output = new Option<string>("--output", "-o") { Description = "The bundle to write (FILE.reprobundle).", Required = true };
        var withData = new Option<bool>("--with-data") { Description = "Include the inputs' bytes too (otherwise the importer pulls them from a remote)." };
        var command = new Command("export", "Write a run, its study and verifications, and the blobs they refer to, as one bundle file. Reference: docs/tracking.md") { run, output, withData };
        command.SetAction((parse, cancellationToken) => new ExportCommand(context).RunAsync(
            new ExportSettings
            {
                Run = parse.GetValue(run)!,
                Output = parse.GetValue(output)!,
                WithData = parse.GetValue(withData),
            },
            cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(ExportSettings settings, CancellationToken cancellationToken)
    {
        await using var session = await Context.OpenWorkspaceAsync(cancellationToken);
        var id = await RunResolver.ResolveAsync(session.Store, settings.Run, cancellationToken);
        var exporter = new BundleExporter(session.Workspace, session.Store, session.Cache, Context.Time);
        var result = await exporter.ExportAsync(id, Context.FullPath(settings.Output), settings.WithData, cancellationToken);
        var index = result.Index;
        Context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"exported run {index.Subject[..8]} to {result.Path} ({Format.Bytes(result.Size)}, sha256 {result.Sha256})"));
        Context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {index.Runs.Count} run(s), {index.Verifications.Count} verification(s), {index.Blobs.Count} blob(s), {index.Commits.Count} commit cop{(index.Commits.Count == 1 ? "y" : "ies")}; inputs {(index.WithData ? "included" : "not included")}"));
        foreach (var note in index.Notes)
        {
            Terminal.Warning(Context, note);
        }

        return 0;
    }
}
