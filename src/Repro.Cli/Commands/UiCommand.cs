using System.CommandLine;
using Repro.Interop.Tracking;
using Repro.Server;

namespace Repro.Cli.Commands;

/// <summary><c>repro ui</c>: the web UI and the MLflow-compatible tracking API over this workspace's store.</summary>
public sealed class UiCommand : CliCommand<UiSettings>
{
    public UiCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var host = new Option<string>("--host") { Description = "Address to listen on; anything but loopback needs a token.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port to listen on (0 picks a free one).", DefaultValueFactory = _ => 5000 };
        var token = new Option<string?>("--token") { Description = "Bearer token every request must carry; generated and printed once when listening beyond loopback without one." };
        var command = new Command("ui", "Serve the web UI and the MLflow-compatible tracking API (/api/2.0/mlflow/). Reference: docs/tracking.md") { host, port, token };
        command.SetAction((parse, cancellationToken) => new UiCommand(context).RunAsync(
            new UiSettings
            {
                Host = parse.GetValue(host)!,
                Port = parse.GetValue(port),
                Token = parse.GetValue(token),
            },
            cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(UiSettings settings, CancellationToken cancellationToken)
    {
        var options = new ServerOptions { Host = settings.Host, Port = settings.Port, Token = settings.Token };
        var generated = false;
        if (options.Token is null && !TokenGuard.IsLoopback(options.Host))
        {
            options = options with { Token = TokenGuard.NewToken() };
            generated = true;
        }

        // Ctrl+C stops serving: the server file is removed and the store closed.
        using var interrupts = Context.Interrupts.Hold();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Context.Interrupts.Token);
        await using var session = await Context.OpenWorkspaceAsync(cancellationToken);
        // SqlRunStore borrows a pooled connection per call: requests are served at once, not in turn.
        var runs = session.Store;
        var database = await session.OpenDatabaseAsync(cancellationToken);
        database.StartBackgroundMaintenance();
        using var tracking = await database.OpenTrackingAsync(runs, Context.Time, TrackingDefaults.ArtifactRootFor(session.Workspace.ReproDirectory), cancellationToken);
        var serverContext = new ServerContext { Workspace = session.Workspace, Runs = runs, Database = database, Cache = session.Cache, Time = Context.Time, Tracking = tracking };
        await using var server = await ReproServer.StartAsync(options, serverContext, cancellationToken);
        await EndOrphanedRunsAsync(Context, tracking, cancellationToken);

        // `repro run` in this workspace finds the server here and hands its command MLFLOW_TRACKING_URI.
        await TrackingServerFile.WriteAsync(session.Workspace, new TrackingServerFile { Url = server.Url.ToString(), Pid = Context.ProcessId, TokenRequired = options.Token is not null }, cancellationToken);
        Context.Out.WriteLine($"repro ui: serving {server.Url} (Ctrl+C to stop)");
        Context.Out.WriteLine($"repro ui: MLflow clients: MLFLOW_TRACKING_URI={server.Url.ToString().TrimEnd('/')}");
        if (generated)
        {
            Context.Out.WriteLine($"repro ui: token (shown once): {options.Token}");
        }

        Context.Out.Flush();
        try
        {
            // A `repro run` killed outright leaves its live MLflow run behind: look for such runs now and then.
            while (true)
            {
                await Task.Delay(OrphanSweep, Context.Time, stop.Token);
                await EndOrphanedRunsAsync(Context, tracking, stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            TrackingServerFile.Remove(session.Workspace, Context.ProcessId);
        }

        return 0;
    }

    /// <summary>How often a running server looks for live runs whose <c>repro run</c> is gone.</summary>
    internal static TimeSpan OrphanSweep { get; } = TimeSpan.FromSeconds(10);

    private static async Task EndOrphanedRunsAsync(CliContext context, ITrackingStore tracking, CancellationToken cancellationToken)
    {
        foreach (var (runId, owner) in await tracking.EndOrphanedRunsAsync(context.MachineName, RunOwner.IsAlive, cancellationToken))
        {
            context.Out.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"repro ui: run {runId[..8]} was left running by repro run (pid {owner.Pid}), which is gone: ended it as KILLED"));
            context.Out.Flush();
        }
    }
}
