using System.Diagnostics;
using Repro.Blobs.Storage;
using Repro.Blobs.Storage.Search;
using Repro.Checks.Audit;
using Repro.Interop.Tracking;
using Repro.Model;

namespace Repro.Tests.Tracking;

/// <summary>
/// A live run a <c>repro run</c> created for its command, whose owner died without sealing it, is
/// ended KILLED (with what was logged) instead of staying RUNNING forever; a live owner, or one on
/// another host, keeps its run live. Over a real SQLite store and real (exited) processes.
/// </summary>
public sealed class OrphanedRunTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private SqlRunStore _store = null!;
    private SqlDatabase _database = null!;
    private TrackingStore _tracking = null!;

    public async Task InitializeAsync()
    {
        _store = await SqliteRunStore.OpenAsync(_dir.Combine("repro.db"), CancellationToken.None);
        _database = await SqlDatabase.OpenSqliteAsync(_dir.Combine("repro.db"), CancellationToken.None);
        _tracking = await TrackingStore.OpenAsync(_database, _store, TimeProvider.System, new Uri(_dir.Combine("mlartifacts")).AbsoluteUri, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        _tracking.Dispose();
        await _database.DisposeAsync();
        await _store.DisposeAsync();
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_live_run_whose_repro_run_is_gone_ends_killed_with_what_was_logged()
    {
        var host = Environment.MachineName;
        var dead = await ExitedPidAsync();
        var orphan = await LinkedAsync(new RunOwner(host, dead));
        var alive = await LinkedAsync(RunOwner.Current);
        var elsewhere = await LinkedAsync(new RunOwner("another-host", dead));
        foreach (var id in new[] { orphan, alive, elsewhere })
        {
            await _tracking.LogBatchAsync(id, [new MlflowMetric("loss", 0.25, 1000, 3)], [new("lr", "0.1")], [], CancellationToken.None);
        }

        var ended = await _tracking.EndOrphanedRunsAsync(host, RunOwner.IsAlive, CancellationToken.None);

        Assert.Equal([(orphan, new RunOwner(host, dead))], ended);
        Assert.Equal(MlflowStatus.Killed, (await _tracking.GetRunAsync(orphan, CancellationToken.None)).Info.Status);
        var sealedRun = (await _store.GetAsync(orphan, CancellationToken.None))!.Manifest;
        Assert.Equal(RunStatus.Failed, sealedRun.Status);
        Assert.True(sealedRun.Execution.Cancelled);
        Assert.Equal("0.1", sealedRun.Params["lr"]);
        Assert.Equal(0.25, sealedRun.Metrics.Values["loss"]);
        Assert.Contains(sealedRun.Warnings, w => w.Contains($"pid {dead} on {host}", StringComparison.Ordinal) && w.Contains("marked KILLED", StringComparison.Ordinal));

        foreach (var id in new[] { alive, elsewhere })
        {
            Assert.Equal(MlflowStatus.Running, (await _tracking.GetRunAsync(id, CancellationToken.None)).Info.Status);
            Assert.Equal(RunStatus.Running, (await _store.GetAsync(id, CancellationToken.None))!.Manifest.Status);
        }

        // Sealed is final: a second sweep finds nothing, and the audit log has the ended run.
        Assert.Empty(await _tracking.EndOrphanedRunsAsync(host, RunOwner.IsAlive, CancellationToken.None));
        var audit = await AuditVerifier.VerifyAsync(_store, CancellationToken.None);
        Assert.True(audit.Intact, string.Join("; ", audit.Problems.Select(p => p.Problem)));
        Assert.Contains((await _store.ReadAuditAsync(CancellationToken.None)), e => e.Subject == orphan);
    }

    [Fact]
    public async Task A_repro_run_that_fails_before_recording_seals_what_its_script_logged_and_drops_an_empty_run()
    {
        var logged = await LinkedAsync(RunOwner.Current);
        await _tracking.LogBatchAsync(logged, [new MlflowMetric("acc", 0.5, 1000, 0)], [], [], CancellationToken.None);
        var empty = await LinkedAsync(RunOwner.Current);

        await _tracking.AbandonLinkedAsync(logged, MlflowStatus.Failed, "disk full", CancellationToken.None);
        await _tracking.AbandonLinkedAsync(empty, MlflowStatus.Failed, "disk full", CancellationToken.None);

        Assert.Equal(MlflowStatus.Failed, (await _tracking.GetRunAsync(logged, CancellationToken.None)).Info.Status);
        var run = (await _store.GetAsync(logged, CancellationToken.None))!.Manifest;
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.False(run.Execution.Cancelled);
        Assert.Contains("disk full", run.Warnings);
        Assert.Null(await _store.GetAsync(empty, CancellationToken.None));
        await Assert.ThrowsAsync<TrackingException>(() => _tracking.GetRunAsync(empty, CancellationToken.None));
    }

    private async Task<string> LinkedAsync(RunOwner owner)
    {
        var id = Repro.Recording.RunId.New();
        await _tracking.CreateLinkedRunAsync(id, null, null, "train", "tester", owner, CancellationToken.None);
        return id;
    }

    /// <summary>The pid of a process that has exited (and was reaped), as a killed <c>repro run</c> leaves it.</summary>
    private static async Task<int> ExitedPidAsync()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await process.WaitForExitAsync();
        return process.Id;
    }
}
