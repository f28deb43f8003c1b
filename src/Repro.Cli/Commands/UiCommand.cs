using System.CommandLine;
using System.Runtime.InteropServices;
using Repro.Interop.Tracking;
using Repro.Server;

namespace Repro.Cli.Commands;

/// <summary><c>repro ui</c>: the web UI and the MLflow-compatible tracking API over this workspace's store.</summary>
public static class UiCommand
{
    public static Command Create(CliContext context)
    {
        var host = new Option<string>("--host") { Description = "Address to listen on; anything but loopback needs a token.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port to listen on (0 picks a free one).", DefaultValueFactory = _ => 5000 };
        var token = new Option<string?>("--token") { Description = "Bearer token every request must carry; generated and printed once when listening beyond loopback without one." };
        var command = new Command("ui", "Serve the web UI and the MLflow-compatible tracking API (/api/2.0/mlflow/). Reference: docs/tracking.md") { host, port, token };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new ServerOptions { Host = parse.GetValue(host)!, Port = parse.GetValue(port), Token = parse.GetValue(token) };
            var generated = false;
            if (options.Token is null && !TokenGuard.IsLoopback(options.Host))
            {
                options = options with { Token = TokenGuard.NewToken() };
                generated = true;
            }

            if (options.Token is { Length: < 16 })
            {
                throw ReproException.Usage("--token must be at least 16 characters");
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => RunCommand.Interrupt(signal, stop));
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => RunCommand.Interrupt(signal, stop));
            await using var session = await WorkspaceSession.OpenAsync(cancellationToken);
            // SqlRunStore borrows a pooled connection per call: requests are served at once, not in turn.
            var runs = session.Store;
            var database = await session.OpenDatabaseAsync(cancellationToken);
            using var tracking = await TrackingStore.OpenAsync(database, runs, context.Time, TrackingStore.ArtifactRootFor(session.Workspace.ReproDirectory), cancellationToken);
            var serverContext = new ServerContext { Workspace = session.Workspace, Runs = runs, Database = database, Cache = session.Cache, Time = context.Time, Tracking = tracking };
            await using var server = await ReproServer.StartAsync(options, serverContext, cancellationToken);
            await EndOrphanedRunsAsync(context, tracking, cancellationToken);

            // `repro run` in this workspace finds the server here and hands its command MLFLOW_TRACKING_URI.
            await TrackingServerFile.WriteAsync(session.Workspace, new TrackingServerFile { Url = server.Url.ToString(), Pid = Environment.ProcessId, TokenRequired = options.Token is not null }, cancellationToken);
            context.Out.WriteLine($"repro ui: serving {server.Url} (Ctrl+C to stop)");
            context.Out.WriteLine($"repro ui: MLflow clients: MLFLOW_TRACKING_URI={server.Url.ToString().TrimEnd('/')}");
            if (generated)
            {
                context.Out.WriteLine($"repro ui: token (shown once): {options.Token}");
            }

            context.Out.Flush();
            try
            {
                // A `repro run` killed outright leaves its live MLflow run behind: look for such runs now and then.
                while (true)
                {
                    await Task.Delay(OrphanSweep, context.Time, stop.Token);
                    await EndOrphanedRunsAsync(context, tracking, stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                TrackingServerFile.Remove(session.Workspace, Environment.ProcessId);
            }

            return 0;
        });
        return command;
    }

    /// <summary>How often a running server looks for live runs whose <c>repro run</c> is gone.</summary>
    internal static TimeSpan OrphanSweep { get; } = TimeSpan.FromSeconds(10);

    private static async Task EndOrphanedRunsAsync(CliContext context, TrackingStore tracking, CancellationToken cancellationToken)
    {
        foreach (var (runId, owner) in await tracking.EndOrphanedRunsAsync(Environment.MachineName, RunOwner.IsAlive, cancellationToken))
        {
            context.Out.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"repro ui: run {runId[..8]} was left running by repro run (pid {owner.Pid}), which is gone: ended it as KILLED"));
            context.Out.Flush();
        }
    }
}
