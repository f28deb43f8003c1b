using System.CommandLine;
using System.Globalization;
using Repro.Blobs.Data;
using Repro.Blobs.Remotes;
using Repro.Blobs.Storage;
using Repro.Cli.Rendering;

namespace Repro.Cli.Commands;

/// <summary><c>repro data fsck [--repair] [--check-remote]</c>: re-hash every cache blob, quarantine corrupt ones, optionally fetch them again, optionally re-hash the remote's blobs too.</summary>
public sealed class DataFsckCommand : CliCommand<DataFsckSettings>
{
    public DataFsckCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var repair = new Option<bool>("--repair") { Description = "Fetch every corrupt blob again from the default remote (verified by hash)." };
        var remoteName = new Option<string?>("--remote", "-r") { Description = "The remote to repair from or check (default: the default remote)." };
        var checkRemote = new Option<bool>("--check-remote") { Description = "Also re-hash every blob on the remote (streamed, nothing stored); exit 1 when any does not match its name." };
        var command = new Command("fsck", "Re-hash every blob in the cache; move corrupt ones to cache/quarantine/ (exit 1 when any).") { repair, remoteName, checkRemote };
        command.SetAction((parse, cancellationToken) => new DataFsckCommand(context).RunAsync(
            new DataFsckSettings
            {
                Repair = parse.GetValue(repair),
                Remote = parse.GetValue(remoteName),
                CheckRemote = parse.GetValue(checkRemote),
            },
            cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(DataFsckSettings settings, CancellationToken cancellationToken)
    {
        await using var session = await Context.OpenWorkspaceAsync(cancellationToken);
        IRemote? remote = null;
        DataTransfer? transfer = null;
        if (settings.Repair || settings.CheckRemote)
        {
            var spec = (await RemoteConfig.ReadAsync(session.Workspace, cancellationToken)).Resolve(settings.Remote);
            remote = RemoteUrl.Open(spec, session.Workspace.Root);
        }

        if (settings.Repair)
        {
            var tracker = new DataTracker(session.Workspace, session.Cache, session.StatCache(), Context.Time);
            transfer = new DataTransfer(session.Cache, remote!, tracker, 1);
        }

        try
        {
            var checker = new CacheChecker(session.Cache, Context.Time);
            var result = await checker.CheckAsync(transfer is null ? null : transfer.FetchOneAsync, cancellationToken);
            foreach (var sha in result.Corrupt)
            {
                Context.Out.WriteLine($"corrupt {sha}: moved to {session.Workspace.Relative(checker.QuarantinePath)}/");
            }

            foreach (var sha in result.Repaired)
            {
                Context.Out.WriteLine($"repaired {sha}: fetched again from {remote!.Display}, verified");
            }

            Context.Out.WriteLine($"checked {result.Checked} blob{(result.Checked == 1 ? string.Empty : "s")}: {result.Corrupt.Count} corrupt{(transfer is null ? string.Empty : $", {result.Repaired.Count} repaired")}");
            if (result.Unrepaired.Count > 0 && transfer is null)
            {
                Terminal.Note(Context, $"{result.Unrepaired.Count} blob{(result.Unrepaired.Count == 1 ? " is" : "s are")} quarantined: `repro data fsck --repair` fetches them again from the remote");
            }
            else if (result.Unrepaired.Count > 0)
            {
                Terminal.Warning(Context, $"{result.Unrepaired.Count} corrupt blob{(result.Unrepaired.Count == 1 ? " is" : "s are")} not on {remote!.Display} (or arrived corrupt again): {string.Join(", ", result.Unrepaired.Take(5).Select(s => s[..12]))}");
            }

            var remoteCorrupt = 0;
            if (settings.CheckRemote)
            {
                var remoteResult = await new RemoteChecker(remote!, 4).CheckAsync(cancellationToken);
                foreach (var sha in remoteResult.Corrupt)
                {
                    Context.Out.WriteLine($"corrupt on {remote!.Display}: {sha} (its bytes hash to something else; push it again from a cache that holds it)");
                }

                Context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"checked {remoteResult.Checked} blob{(remoteResult.Checked == 1 ? string.Empty : "s")} on {remote!.Display} ({remoteResult.Bytes:N0} bytes): {remoteResult.Corrupt.Count} corrupt"));
                remoteCorrupt = remoteResult.Corrupt.Count;
            }

            // With --repair, a cache made whole again is success.
            return result.Unrepaired.Count > 0 || (transfer is null && result.Corrupt.Count > 0) || remoteCorrupt > 0 ? (int)ExitCode.Differs : 0;
        }
        finally
        {
            if (remote is not null)
            {
                await remote.DisposeAsync();
            }
        }
    }
}
