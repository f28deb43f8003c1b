using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Repro.Data;
using Repro.Serialization;
using Repro.Storage;

namespace Repro.Cli.Commands;

/// <summary><c>repro data status [--json]</c>: which tracked paths changed, are missing, or are not in the cache.</summary>
public static class DataStatusCommand
{
    public static Command Create(CliContext context)
    {
        var paths = new Argument<string[]>("path") { Description = "Tracked paths or pointer files (default: every pointer file in the workspace).", Arity = ArgumentArity.ZeroOrMore };
        var json = new Option<bool>("--json") { Description = "Print a JSON array of {path, status, recorded_sha256, current_sha256}." };
        var command = new Command("status", "Show which tracked paths are modified, missing, or not in the cache (exit 1 when any is).") { paths, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var session = await WorkspaceSession.OpenAsync(cancellationToken);
            var tracker = new DataTracker(session.Workspace, session.Cache, new SqliteStatCache(session.Workspace.StatePath), context.Time);
            var tracked = tracker.Select(parse.GetValue(paths) ?? [], Environment.CurrentDirectory);
            var statuses = await tracker.StatusAsync(tracked, cancellationToken);
            if (parse.GetValue(json))
            {
                var array = new JsonArray();
                foreach (var status in statuses)
                {
                    array.Add(new JsonObject
                    {
                        ["path"] = status.Path,
                        ["status"] = status.StateText,
                        ["recorded_sha256"] = status.RecordedSha256,
                        ["current_sha256"] = status.CurrentSha256,
                    });
                }

                context.Out.WriteLine(array.ToJsonString(CanonicalJson.IndentedOptions));
            }
            else if (statuses.Count == 0)
            {
                context.Out.WriteLine("no tracked data: track a file or folder with `repro data add PATH`");
            }
            else
            {
                var width = statuses.Max(s => s.StateText.Length) + 1;
                foreach (var status in statuses)
                {
                    context.Out.WriteLine($"{(status.StateText + ":").PadRight(width + 1)}{status.Path}");
                }

                var changed = statuses.Count(s => s.State != DataState.Unchanged);
                context.Out.WriteLine(changed == 0
                    ? $"{statuses.Count} tracked, all unchanged"
                    : $"{statuses.Count} tracked, {changed} not as recorded (`repro data add` records changes, `repro data checkout` restores, `repro data pull` fetches)");
            }

            return statuses.All(s => s.State == DataState.Unchanged) ? 0 : (int)ExitCode.Differs;
        });
        return command;
    }
}
