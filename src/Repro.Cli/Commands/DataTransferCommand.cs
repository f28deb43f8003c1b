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
public static class DataTransferCommand
{
    public static Command Create(CliContext context, bool push)
    {
        var paths = new Argument<string[]>("path") { Description = "Tracked paths or pointer files (default: all).", Arity = ArgumentArity.ZeroOrMore };
        var remoteName = new Option<string?>("--remote", "-r") { Description = "The remote to use (default: the default remote)." };
        var jobs = new Option<int>("--jobs", "-j") { Description = "Blobs transferred at a time.", DefaultValueFactory = _ => 4 };
        var command = push
            ? new Command("push", "Upload the cached bytes of tracked data that the remote lacks; with no PATH, also the blobs of recorded runs (inputs, outputs, logs, patches).") { paths, remoteName, jobs }
            : new Command("pull", "Download the bytes of tracked data the cache lacks (verified by hash), then check the data out.") { paths, remoteName, jobs };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(jobs) < 1)
            {
                throw ReproException.Usage("-j must be 1 or more");
            }

            var session = DataSession.Open();
            var tracker = new DataTracker(session.Workspace, session.Cache, session.StatCache(), context.Time);
            var tracked = tracker.Select(parse.GetValue(paths) ?? [], Environment.CurrentDirectory);
            var spec = (await RemoteConfig.ReadAsync(session.Workspace, cancellationToken)).Resolve(parse.GetValue(remoteName));
            await using var remote = RemoteUrl.Open(spec, session.Workspace.Root);
            var transfer = new DataTransfer(session.Cache, remote, tracker, parse.GetValue(jobs));
            var result = push ? await transfer.PushAsync(tracked, cancellationToken) : await transfer.PullAsync(tracked, cancellationToken);
            context.Out.WriteLine($"{(push ? "pushed" : "pulled")} {result.Transferred} blob{(result.Transferred == 1 ? string.Empty : "s")} ({Format.Bytes(result.Bytes)}) {(push ? "to" : "from")} {remote.Display}; {result.AlreadyThere} already there");
            if (push && (parse.GetValue(paths) ?? []).Length == 0)
            {
                // Only a push of everything reads the run store.
                await using var store = await WorkspaceSession.OpenAsync(session.Workspace, await StoreLocation.ResolveAsync(session.Workspace, Environment.GetEnvironmentVariable, cancellationToken), cancellationToken);
                var runs = new List<Repro.Model.RunManifest>();
                foreach (var summary in await store.Store.ListAsync(new RunQuery { Limit = 0 }, cancellationToken))
                {
                    if (await store.Store.GetAsync(summary.Id, cancellationToken) is { } stored)
                    {
                        runs.Add(stored.Manifest);
                    }
                }

                var ofRuns = await new RunBlobTransfer(session.Cache, remote, parse.GetValue(jobs)).PushAsync(runs, cancellationToken);
                context.Out.WriteLine($"pushed {ofRuns.Transferred} blob{(ofRuns.Transferred == 1 ? string.Empty : "s")} ({Format.Bytes(ofRuns.Bytes)}) of {runs.Count} recorded run{(runs.Count == 1 ? string.Empty : "s")}; {ofRuns.AlreadyThere} already there");
            }
            foreach (var line in result.Missing.Take(10))
            {
                Terminal.Warning(context.Error, $"{(push ? "not in the local cache" : "not on the remote")}: {line}");
            }

            foreach (var line in result.Corrupt.Take(10))
            {
                Terminal.Warning(context.Error, $"discarded a corrupt download: {line}");
            }

            var failed = result.Missing.Count + result.Corrupt.Count;
            if (!push)
            {
                var complete = new List<TrackedData>();
                foreach (var item in tracked)
                {
                    if (await tracker.InCacheAsync(item, cancellationToken))
                    {
                        complete.Add(item);
                    }
                }

                DataCheckoutCommand.Render(context.Out, await tracker.CheckoutAsync(complete, force: false, cancellationToken));
            }

            if (failed > 0)
            {
                throw ReproException.CannotExecute(push
                    ? $"{result.Missing.Count} blob{(result.Missing.Count == 1 ? " is" : "s are")} not in the local cache and could not be pushed (listed above)"
                    : $"{failed} blob{(failed == 1 ? string.Empty : "s")} could not be pulled ({result.Missing.Count} missing on the remote, {result.Corrupt.Count} corrupt and discarded); the cache holds no wrong blob");
            }

            return 0;
        });
        return command;
    }
}
