using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Repro.Blobs.Storage;
using Repro.Interop.Dvc;
using Repro.Model.Workspaces;

namespace Repro.Cli.Commands;

/// <summary><c>repro pipeline status [--json]</c>: which stages changed since they last ran, and why.</summary>
public sealed class PipelineStatusCommand : CliCommand<PipelineStatusSettings>
{
    public PipelineStatusCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array of {stage, status, changes}." };
        var command = new Command("status", "Which stages changed since they last ran, and why (exit 1 when any did).") { json };
        command.SetAction((parse, cancellationToken) => new PipelineStatusCommand(context).RunAsync(
            new PipelineStatusSettings
            {
                Json = parse.GetValue(json),
            },
            cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(PipelineStatusSettings settings, CancellationToken cancellationToken)
    {
        // Reading needs no workspace: a DVC project can be checked before `repro init`.
        var workspace = Context.FindWorkspace();
        var root = workspace?.Root ?? Context.WorkingDirectory;
        var cache = new ContentCache(workspace?.CachePath ?? Path.Combine(root, Workspace.DirectoryName, "cache"));
        var format = PipelineProject.Open(root, cache, workspace is not null && Directory.Exists(workspace.ReproDirectory) ? Adapters.StatCaches(workspace.StatePath) : null, Context.Time);
        var statuses = await PipelineProject.StatusAsync(format, cancellationToken);
        if (settings.Json)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                writer.WriteStartArray();
                foreach (var status in statuses)
                {
                    writer.WriteStartObject();
                    writer.WriteString("stage", status.Stage);
                    writer.WriteString("status", status.Changed ? "changed" : "unchanged");
                    writer.WriteBoolean("frozen", status.Frozen);
                    writer.WriteStartArray("changes");
                    foreach (var change in status.Changes)
                    {
                        writer.WriteStringValue(change);
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            Context.Out.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        }
        else
        {
            foreach (var status in statuses)
            {
                Context.Out.WriteLine($"{status.Stage}: {(status.Changed ? "changed" : "unchanged")}{(status.Frozen ? " (frozen)" : string.Empty)}");
                foreach (var change in status.Changes)
                {
                    Context.Out.WriteLine($"  {change}");
                }
            }

            if (statuses.Count == 0)
            {
                Context.Out.WriteLine($"{format.Definition.DefinitionName} has no stages");
            }
        }

        return statuses.Any(s => s.Changed) ? (int)ExitCode.Differs : (int)ExitCode.Ok;
    }
}
