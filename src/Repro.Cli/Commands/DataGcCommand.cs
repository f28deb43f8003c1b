using System.CommandLine;
using Repro.Blobs.Data;
using Repro.Blobs.Storage;
using Repro.Cli.Rendering;

namespace Repro.Cli.Commands;

/// <summary><c>repro data gc [--workspace|--all-runs] [--dry-run]</c>: remove cache blobs nothing refers to.</summary>
public sealed class DataGcCommand : CliCommand<DataGcSettings>
{
    public DataGcCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var workspaceOnly = new Option<bool>("--workspace", "-w") { Description = "Keep only what pointer files refer to: blobs only recorded runs use are REMOVED (those runs can no longer be verified)." };
        var allRuns = new Option<bool>("--all-runs", "-a") { Description = "Keep what any pointer file or any recorded run refers to (the default)." };
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "List what would be removed and its size; remove nothing." };
        var command = new Command("gc", "Remove cache blobs that no pointer file and no recorded run refers to.") { workspaceOnly, allRuns, dryRun };
        command.SetAction((parse, cancellationToken) => new DataGcCommand(context).RunAsync(
            new DataGcSettings
            {
                WorkspaceOnly = parse.GetValue(workspaceOnly),
                AllRuns = parse.GetValue(allRuns),
                DryRun = parse.GetValue(dryRun),
            },
            cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(DataGcSettings settings, CancellationToken cancellationToken)
    {
        var onlyWorkspace = settings.WorkspaceOnly;
        var dry = settings.DryRun;
        if (onlyWorkspace)
        {
            Terminal.Warning(Context, $"--workspace: {(dry ? "would remove" : "removing")} every blob only recorded runs refer to; `repro verify` of those runs will fail until they are pulled again");
        }

        await using var session = await Context.OpenWorkspaceAsync(cancellationToken);
        var tracker = new DataTracker(session.Workspace, session.Cache, session.StatCache(), Context.Time);
        var result = await new CacheCollector(session.Cache, tracker, session.Store).CollectAsync(includeRuns: !onlyWorkspace, dry, cancellationToken);
        if (dry)
        {
            foreach (var (sha, size) in result.Removed)
            {
                Context.Out.WriteLine($"would remove {sha} ({Format.Bytes(size)})");
            }
        }

        Context.Out.WriteLine($"{(dry ? "would remove" : "removed")} {result.Removed.Count} blob{(result.Removed.Count == 1 ? string.Empty : "s")} ({Format.Bytes(result.Bytes)}); kept everything {(onlyWorkspace ? "pointer files" : "pointer files and recorded runs")} refer to");
        if (result.StaleTempFiles.Count > 0)
        {
            var count = result.StaleTempFiles.Count;
            Context.Out.WriteLine($"{(dry ? "would remove" : "removed")} {count} temp file{(count == 1 ? string.Empty : "s")} ({Format.Bytes(result.StaleTempFiles.Sum(t => t.Size))}) that interrupted writes left in the cache");
        }
        return 0;
    }
}
