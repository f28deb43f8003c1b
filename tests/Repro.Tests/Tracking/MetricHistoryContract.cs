using System.Globalization;
using Repro.Blobs.Storage;
using Repro.Blobs.Storage.Search;
using Repro.Interop.Tracking;
using Repro.Model;

namespace Repro.Tests.Tracking;

/// <summary>
/// A live run's metric history, logged through log-batch into a real store: every point kept
/// once, in MLflow's order, given to the run's steps when it is sealed, and kept when a store
/// made by an older repro is upgraded. Each store derives one test class.
/// </summary>
public abstract class MetricHistoryContract : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;

    private SqlDatabase _database = null!;
    private SqlRunStore _store = null!;
    private TrackingStore _tracking = null!;

    /// <summary>A new connection pool onto this test's store (empty at first).</summary>
    protected abstract Task<SqlDatabase> OpenDatabaseAsync();

    public async Task InitializeAsync()
    {
        _database = await OpenDatabaseAsync();
        _store = await SqlRunStore.OpenAsync(_database, ownsDatabase: false, None);
        _tracking = await OpenTrackingAsync();
    }

    public async Task DisposeAsync()
    {
        _tracking.Dispose();
        await _store.DisposeAsync();
        await _database.DisposeAsync();
    }

    private Task<TrackingStore> OpenTrackingAsync() =>
        TrackingStore.OpenAsync(_database, _store, TimeProvider.System, "file:///srv/mlartifacts", None);

    [Fact]
    public async Task Every_logged_point_is_kept_once_in_order_and_the_seal_gives_the_run_its_steps()
    {
        var run = await LogTwoBatchesAsync();

        Assert.Equal(
            [(0L, 1000L, 0.9), (1L, 1000L, 0.7), (1L, 1001L, double.NaN), (2L, 1002L, 0.5), (2L, 1003L, 0.4)],
            await HistoryAsync(run, "loss"));
        Assert.Equal(6L, await ScalarAsync("SELECT COUNT(*) FROM tracking_metrics WHERE run_id = @run", run));
        Assert.Equal(0L, await ScalarAsync("SELECT COUNT(*) FROM metric_steps WHERE run_id = @run", run));

        await _tracking.UpdateRunAsync(run, MlflowStatus.Finished, null, null, None);

        var manifest = (await _store.GetAsync(run, None))!.Manifest;
        Assert.Equal(
            [new MetricStep(0, 0.9), new MetricStep(1, 0.7), new MetricStep(1, double.NaN), new MetricStep(2, 0.5), new MetricStep(2, 0.4)],
            manifest.Metrics.Steps["loss"]);
        Assert.Equal(0.4, manifest.Metrics.Values["loss"]);
        Assert.Equal(0.1, manifest.Metrics.Values["acc"]);
        Assert.Equal(6L, await ScalarAsync("SELECT COUNT(*) FROM metric_steps WHERE run_id = @run", run));
        Assert.Equal(5, (await HistoryAsync(run, "loss")).Count);
    }

    [Fact]
    public async Task A_store_made_before_the_narrow_history_index_is_upgraded_and_keeps_its_points()
    {
        var run = await LogTwoBatchesAsync();
        var before = await HistoryAsync(run, "loss");

        // Back to the tracking tables of version 2: the history indexed by run, key, step and timestamp.
        await ScalarAsync("DROP INDEX tracking_metrics_run_key");
        await ScalarAsync("CREATE INDEX tracking_metrics_run ON tracking_metrics(run_id, key, step, timestamp)");
        await ScalarAsync("UPDATE schema_modules SET version = 2 WHERE module = 'tracking'");
        _tracking.Dispose();
        _tracking = await OpenTrackingAsync();

        Assert.Equal(3L, await ScalarAsync("SELECT version FROM schema_modules WHERE module = 'tracking'"));
        Assert.Equal(1L, await IndexCountAsync("tracking_metrics_run_key"));
        Assert.Equal(0L, await IndexCountAsync("tracking_metrics_run"));
        Assert.Equal(before, await HistoryAsync(run, "loss"));

        await _tracking.LogBatchAsync(run, [new MlflowMetric("loss", 0.3, 1004, 3)], [], [], None);
        Assert.Equal([.. before, (3L, 1004L, 0.3)], await HistoryAsync(run, "loss"));
    }

    /// <summary>A live run with two metrics logged in two batches, steps out of order, a NaN and a step logged twice.</summary>
    private async Task<string> LogTwoBatchesAsync()
    {
        var run = (await _tracking.CreateRunAsync(new NewRun { RunName = "history" }, None)).Info.RunId;
        await _tracking.LogBatchAsync(run, [new("loss", 0.5, 1002, 2), new("loss", 0.9, 1000, 0), new("acc", 0.1, 1000, 0)], [], [], None);
        await _tracking.LogBatchAsync(run, [new("loss", double.NaN, 1001, 1), new("loss", 0.7, 1000, 1), new("loss", 0.4, 1003, 2)], [], [], None);
        return run;
    }

    private async Task<List<(long Step, long Timestamp, double Value)>> HistoryAsync(string run, string key)
    {
        var (points, next) = await _tracking.GetMetricHistoryAsync(run, key, null, null, None);
        Assert.Null(next);
        return points.Select(p => (p.Step, p.Timestamp, p.Value)).ToList();
    }

    private Task<long> IndexCountAsync(string name) => ScalarAsync(
        _database.Kind == SqlKind.Sqlite
            ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = @run"
            : "SELECT COUNT(*) FROM pg_indexes WHERE indexname = @run",
        name);

    private async Task<long> ScalarAsync(string sql, string? run = null)
    {
        await using var connection = await _database.OpenConnectionAsync(None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (run is not null)
        {
            SqlDatabase.AddParameter(command, "run", run);
        }

        var value = await command.ExecuteScalarAsync(None);
        return value is null or DBNull ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }
}
