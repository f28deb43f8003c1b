using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Repro.Blobs.Data;
using Repro.Interop.Dvc;
using Repro.Model.Serialization;

namespace Repro.Cli.Commands;

/// <summary><c>repro data status [--json]</c>: which tracked paths changed, are missing, or are not in the cache.</summary>
public sealed class DataStatusCommand : CliCommand<DataPathsSettings>
{
    public DataStatusCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var paths = new Argument<string[]>("path") { Description = "Tracked paths or pointer files (default: every pointer file in the workspace).", Arity = ArgumentArity.ZeroOrMore };
        var json = new Option<bool>("--json") { Description = "Print a JSON array of {path, status, recorded_sha256, current_sha256}." };
        var command = new Command("status", "Show which tracked paths are modified, missing, or not in the cache (exit 1 when any is).") { paths, json };
        command.SetAction((parse, cancellationToken) => new DataStatusCommand(context).RunAsync(
            new DataPathsSettings
            {
                Paths = parse.GetValue(paths) ?? [],
                Json = parse.GetValue(json),
            },
            cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(DataPathsSettings settings, CancellationToken cancellationToken)
    {
        var session = Context.OpenData();
        var tracker = new DataTracker(session.Workspace, session.Cache, session.StatCache(), Context.Time);
        var tracked = tracker.Select(settings.Paths, Context.WorkingDirectory);
        var statuses = await tracker.StatusAsync(tracked, cancellationToken);

        // A DVC project as it is: the paths dvc.lock and the .dvc files record, in DVC's own md5.
        // Looking for .dvc files skips the folders repro tracks (their files are data, not DVC's).
        var trackedFolders = tracked.Where(t => t.Pointer.IsFolder).Select(t => t.Relative.Replace('\\', '/')).ToHashSet(StringComparer.Ordinal);
        var dvc = settings.Paths.Count == 0 && (File.Exists(Path.Combine(session.Workspace.Root, "dvc.lock")) || DvcFile.FindAll(session.Workspace.Root, trackedFolders).Count > 0)
            ? (await DvcProject.CheckWorkspaceAsync(session.Workspace.Root, DvcProject.Hasher(session.Workspace.Root, session.StatCaches, Context.Time), cancellationToken)).Entries
            : [];
        static string DvcState(DvcWorkspaceEntry e) => e.State switch { DvcEntryState.Unchanged => "unchanged", DvcEntryState.Modified => "modified", _ => "missing" };
        if (settings.Json)
        {
            var array = new JsonArray();
            foreach (var status in statuses)
            {
                array.Add((JsonNode)new JsonObject
                {
                    ["path"] = status.Path,
                    ["status"] = status.StateText,
                    ["recorded_sha256"] = status.RecordedSha256,
                    ["current_sha256"] = status.CurrentSha256,
                });
            }

            foreach (var entry in dvc)
            {
                array.Add((JsonNode)new JsonObject
                {
                    ["path"] = entry.Path,
                    ["status"] = DvcState(entry),
                    ["source"] = entry.Source,
                    ["stage"] = entry.Stage,
                    ["recorded_md5"] = entry.RecordedMd5,
                    ["current_md5"] = entry.ActualMd5,
                });
            }

            Context.Out.WriteLine(array.ToJsonString(CanonicalJson.IndentedOptions));
        }
        else if (statuses.Count == 0 && dvc.Count == 0)
        {
            Context.Out.WriteLine("no tracked data: track a file or folder with `repro data add PATH`");
        }
        else
        {
            var width = statuses.Select(s => s.StateText.Length).Append("unchanged".Length).Max() + 1;
            foreach (var status in statuses)
            {
                Context.Out.WriteLine($"{(status.StateText + ":").PadRight(width + 1)}{status.Path}");
            }

            foreach (var entry in dvc)
            {
                Context.Out.WriteLine($"{(DvcState(entry) + ":").PadRight(width + 1)}{entry.Path}   ({entry.Source}{(entry.Stage is null ? string.Empty : $", stage {entry.Stage} {entry.Role}")}, md5)");
            }

            var changed = statuses.Count(s => s.State != DataState.Unchanged);
            if (statuses.Count > 0)
            {
                Context.Out.WriteLine(changed == 0
                    ? $"{statuses.Count} tracked, all unchanged"
                    : $"{statuses.Count} tracked, {changed} not as recorded (`repro data add` records changes, `repro data checkout` restores, `repro data pull` fetches)");
            }

            if (dvc.Count > 0)
            {
                var moved = dvc.Count(e => e.State != DvcEntryState.Unchanged);
                Context.Out.WriteLine(moved == 0 ? $"the workspace matches dvc.lock and the .dvc files ({dvc.Count} paths)" : $"{moved} of {dvc.Count} paths DVC records differ from the workspace");
            }
        }

        return statuses.All(s => s.State == DataState.Unchanged) && dvc.All(e => e.State == DvcEntryState.Unchanged) ? 0 : (int)ExitCode.Differs;
    }
}
