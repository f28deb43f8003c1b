using System.CommandLine;
using Repro.Blobs.Data;
using Repro.Blobs.Remotes;
using Repro.Blobs.Storage;
using Repro.Cli.Rendering;

namespace Repro.Cli.Commands;

/// <summary>
/// <c>repro data push|pull [--remote NAME] [-j N] [PATH...]</c>: send the blobs tracked data
/// needs to a remote, or fetch them (verified) and check the data out. A push of everything (no
/// PATH) also sends the blobs of the recorded runs this cache holds, so another machine sharing
/// the store can verify them (<c>repro verify</c> fetches what it lacks).
/// </summary>
public sealed class DataTransferCommand : CliCommand<DataTransferSettings>
{
    public DataTransferCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context, bool push)
    {
        var paths = new Argument<string[]>("path") { Description = "Tracked paths or pointer files (default: all).", Arity = ArgumentArity.ZeroOrMore };
        var remoteName = new Option<string?>("--remote", "-r") { Description = "The remote to use (default: the default remote)." };
        var jobs = new Option<int>("--jobs", "-j") { Description = "Blobs transferred at a time.", DefaultValueFactory = _ => 4 };
        var command = push
            ? new Command("push", "Upload the cached bytes of tracked data that the remote lacks; with no PATH, also the blobs of recorded runs (inputs, outputs, logs, patches).") { paths, remoteName, jobs }
            : new Command("pull", "Download the bytes of tracked data the cache lacks (verified by hash), then check the data out.") { paths, remoteName, jobs };
        command.SetAction((parse, cancellationToken) => new DataTransferCommand(context).RunAsync(
            new DataTransferSettings
            {
                Push = push,
                Paths = parse.GetValue(paths) ?? [],
                Remote = parse.GetValue(remoteName),
                Jobs = parse.GetValue(jobs),
            },
            cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(DataTransferSettings settings, CancellationToken cancellationToken)
    {
        var session = Context.OpenData();
        var tracker = new DataTracker(session.Workspace, session.Cache, session.StatCache(), Context.Time);
        var tracked = tracker.Select(settings.Paths, Context.WorkingDirectory);
        var spec = (await RemoteConfig.ReadAsync(session.Workspace, cancellationToken)).Resolve(settings.Remote);
        await using var remote = RemoteUrl.Open(spec, session.Workspace.Root);
        var transfer = new DataTransfer(session.Cache, remote, tracker, settings.Jobs);
        var result = settings.Push ? await transfer.PushAsync(tracked, cancellationToken) : await transfer.PullAsync(tracked, cancellationToken);
        Context.Out.WriteLine($"{(settings.Push ? "pushed" : "pulled")} {result.Transferred} blob{(result.Transferred == 1 ? string.Empty : "s")} ({Format.Bytes(result.Bytes)}) {(settings.Push ? "to" : "from")} {remote.Display}; {result.AlreadyThere} already there");
        if (settings.Push && settings.Paths.Count == 0)
        {
            // Only a push of everything reads the run store.
            await using var store = await WorkspaceSession.OpenAsync(Context, cancellationToken);
            var runs = new List<Repro.Model.RunManifest>();
            foreach (var summary in await store.Store.ListAsync(new RunQuery { Limit = 0 }, cancellationToken))
            {
                if (await store.Store.GetAsync(summary.Id, cancellationToken) is { } stored)
                {
                    runs.Add(stored.Manifest);
                }
            }

            var ofRuns = await new RunBlobTransfer(session.Cache, remote, settings.Jobs).PushAsync(runs, cancellationToken);
            Context.Out.WriteLine($"pushed {ofRuns.Transferred} blob{(ofRuns.Transferred == 1 ? string.Empty : "s")} ({Format.Bytes(ofRuns.Bytes)}) of {runs.Count} recorded run{(runs.Count == 1 ? string.Empty : "s")}; {ofRuns.AlreadyThere} already there");
        }
        foreach (var line in result.Missing.Take(10))
        {
            Terminal.Warning(Context, $"{(settings.Push ? "not in the local cache" : "not on the remote")}: {line}");
        }

        foreach (var line in result.Corrupt.Take(10))
        {
            Terminal.Warning(Context, $"discarded a corrupt download: {line}");
        }

        var failed = result.Missing.Count + result.Corrupt.Count;
        if (!settings.Push)
        {
            var complete = new List<TrackedData>();
            foreach (var item in tracked)
            {
                if (await tracker.InCacheAsync(item, cancellationToken))
                {
                    complete.Add(item);
                }
            }

            DataCheckoutCommand.Render(Context.Out, await tracker.CheckoutAsync(complete, force: false, cancellationToken));
        }

        if (failed > 0)
        {
            throw ReproException.CannotExecute(settings.Push
                ? $"{result.Missing.Count} blob{(result.Missing.Count == 1 ? " is" : "s are")} not in the local cache and could not be pushed (listed above)"
                : $"{failed} blob{(failed == 1 ? string.Empty : "s")} could not be pulled ({result.Missing.Count} missing on the remote, {result.Corrupt.Count} corrupt and discarded); the cache holds no wrong blob");
        }

        return 0;
    }
}
