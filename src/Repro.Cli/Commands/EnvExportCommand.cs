using System.CommandLine;
using Repro.Blobs.Storage;
using Repro.Capture.Environments;
using Repro.Model.Serialization;
using Repro.Recording;

namespace Repro.Cli.Commands;

/// <summary><c>repro env export RUN --format requirements|dockerfile [-o FILE]</c>: freeze a run's recorded environment.</summary>
public sealed class EnvExportCommand : CliCommand<EnvExportSettings>
{
    public EnvExportCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var run = new Argument<string>("run") { Description = "A run id, a unique id prefix (4+ characters), a run name (its newest run) or @last." };
        var format = new Option<string>("--format") { Description = "requirements (a pinned requirements.txt) or dockerfile (a Dockerfile using it).", Required = true };
        var output = new Option<string?>("--output", "-o") { Description = "Write to FILE instead of printing (a Dockerfile gets its requirements.txt beside it)." };
        var command = new Command("export", "Turn a run's recorded Python environment into a pinned requirements.txt or a Dockerfile.") { run, format, output };
        command.SetAction((parse, cancellationToken) => new EnvExportCommand(context).RunAsync(
            new EnvExportSettings
            {
                Run = parse.GetValue(run)!,
                Format = parse.GetValue(format)!,
                Output = parse.GetValue(output),
            },
            cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(EnvExportSettings settings, CancellationToken cancellationToken)
    {
        var exporter = EnvironmentExporters.Find(settings.Format);
        await using var session = await Context.OpenWorkspaceAsync(cancellationToken);
        var id = await RunResolver.ResolveAsync(session.Store, settings.Run, cancellationToken);
        var stored = await session.Store.GetAsync(id, cancellationToken) ?? throw ReproException.NotFound($"unknown run '{id}'");
        var text = exporter.Export(stored.Manifest);
        if (settings.Output is not { } file)
        {
            Context.Out.Write(text);
            return 0;
        }

        var written = new List<string>();
        if (exporter is DockerfileExporter)
        {
            // The Dockerfile COPYs requirements.txt: write it beside, never over a different one.
            var requirements = Path.Combine(Path.GetDirectoryName(Context.FullPath(file))!, RequirementsExporter.Instance.FileName);
            var pinned = RequirementsExporter.Instance.Export(stored.Manifest);
            if (File.Exists(requirements) && (new FileInfo(requirements).Length > TextLimits.DefaultMaxFileBytes || await File.ReadAllTextAsync(requirements, cancellationToken) != pinned))
            {
                throw ReproException.Conflict($"{requirements} exists and differs from this run's pins: move it away or export into another folder");
            }

            await AtomicFile.WriteAllTextAsync(requirements, pinned, cancellationToken);
            written.Add(requirements);
        }

        await AtomicFile.WriteAllTextAsync(Context.FullPath(file), text, cancellationToken);
        written.Insert(0, file);
        Context.Out.WriteLine($"wrote {string.Join(" and ", written)} from run {stored.Manifest.Id}");
        return 0;
    }
}
