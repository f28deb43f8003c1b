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
        // One row a key a batch: loss and acc, then loss.
        Assert.Equal(3L, await ScalarAsync("SELECT COUNT(*) FROM tracking_points WHERE run_id = @run", run));
        Assert.Equal(0L, await ScalarAsync("SELECT COUNT(*) FROM tracking_metrics WHERE run_id = @run", run));
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
    public async Task A_store_of_tracking_version_2_is_upgraded_and_its_points_are_read_beside_the_new_ones()
    {
        var run = (await _tracking.CreateRunAsync(new NewRun { RunName = "history" }, None)).Info.RunId;

        // Back to the tracking tables of version 2: every point a row of tracking_metrics, indexed
        // by run, key, step and timestamp, and no packed history.
        await ScalarAsync("DROP TABLE tracking_points");
        await ScalarAsync("DROP INDEX tracking_metrics_run_key");
        await ScalarAsync("CREATE INDEX tracking_metrics_run ON tracking_metrics(run_id, key, step, timestamp)");
        await ScalarAsync("INSERT INTO tracking_metrics(run_id, key, step, timestamp, value, is_nan) VALUES (@run, 'loss', 2, 1002, 0.5, 0), (@run, 'loss', 0, 1000, 0.9, 0), (@run, 'loss', 1, 1001, 0, 1)", run);
        await ScalarAsync("UPDATE schema_modules SET version = 2 WHERE module = 'tracking'");
        _tracking.Dispose();
        _tracking = await OpenTrackingAsync();

        Assert.Equal(4L, await ScalarAsync("SELECT version FROM schema_modules WHERE module = 'tracking'"));
        Assert.Equal(1L, await IndexCountAsync("tracking_metrics_run_key"));
        Assert.Equal(0L, await IndexCountAsync("tracking_metrics_run"));
        Assert.Equal(1L, await IndexCountAsync("tracking_points_run_key"));
        Assert.Equal([(0L, 1000L, 0.9), (1L, 1001L, double.NaN), (2L, 1002L, 0.5)], await HistoryAsync(run, "loss"));

        await _tracking.LogBatchAsync(run, [new MlflowMetric("loss", 0.3, 1004, 3), new MlflowMetric("loss", 0.7, 1000, 1)], [], [], None);
        Assert.Equal([(0L, 1000L, 0.9), (1L, 1000L, 0.7), (1L, 1001L, double.NaN), (2L, 1002L, 0.5), (3L, 1004L, 0.3)], await HistoryAsync(run, "loss"));

        await _tracking.UpdateRunAsync(run, MlflowStatus.Finished, null, null, None);
        var manifest = (await _store.GetAsync(run, None))!.Manifest;
        Assert.Equal(
            [new MetricStep(0, 0.9), new MetricStep(1, 0.7), new MetricStep(1, double.NaN), new MetricStep(2, 0.5), new MetricStep(3, 0.3)],
            manifest.Metrics.Steps["loss"]);
    }

    [Fact]
    public async Task A_value_keeps_its_bits_through_the_history_and_a_page_ends_where_the_points_do()
    {
        var run = (await _tracking.CreateRunAsync(new NewRun { RunName = "bits" }, None)).Info.RunId;
        double[] values = [double.PositiveInfinity, double.NegativeInfinity, -0.0, double.Epsilon, double.MaxValue, 0.1 + 0.2, -1e-300];
        await _tracking.LogBatchAsync(run, [.. values.Select((v, i) => new MlflowMetric("x", v, 1000 + i, i))], [], [], None);

        var history = await HistoryAsync(run, "x");
        Assert.Equal(values.Select(BitConverter.DoubleToInt64Bits), history.Select(p => BitConverter.DoubleToInt64Bits(p.Value)));

        var (page, next) = await _tracking.GetMetricHistoryAsync(run, "x", 4, null, None);
        Assert.Equal([0L, 1, 2, 3], page.Select(p => p.Step));
        var (rest, end) = await _tracking.GetMetricHistoryAsync(run, "x", 4, next, None);
        Assert.Equal([4L, 5, 6], rest.Select(p => p.Step));
        Assert.Null(end);
    }

    [Fact]
    public async Task The_latest_value_is_the_greatest_step_then_timestamp_then_value_with_NaN_below_every_number()
    {
        var run = (await _tracking.CreateRunAsync(new NewRun { RunName = "latest" }, None)).Info.RunId;
        async Task<double> LogAsync(string key, double value, long timestamp, long step)
        {
            await _tracking.LogBatchAsync(run, [new MlflowMetric(key, value, timestamp, step)], [], [], None);
            return (await _tracking.GetRunAsync(run, None)).Metrics.Single(m => m.Key == key).Value;
        }

        Assert.Equal(0.5, await LogAsync("loss", 0.5, 1000, 2));
        Assert.Equal(0.5, await LogAsync("loss", 0.1, 5000, 1));
        Assert.Equal(0.5, await LogAsync("loss", 0.9, 999, 2));
        Assert.Equal(0.5, await LogAsync("loss", double.NaN, 1000, 2));
        Assert.Equal(0.7, await LogAsync("loss", 0.7, 1000, 2));
        Assert.Equal(0.7, await LogAsync("loss", 0.6, 1000, 2));
        Assert.Equal(0.2, await LogAsync("loss", 0.2, 1000, 3));
        Assert.True(double.IsNaN(await LogAsync("acc", double.NaN, 1000, 0)));
        Assert.Equal(0.4, await LogAsync("acc", 0.4, 1000, 0));

        // One batch over more keys than one statement takes, each key's points out of order.
        var wide = Enumerable.Range(0, 150).SelectMany(i => new[] { new MlflowMetric($"k{i:000}", i, 1000, 1), new MlflowMetric($"k{i:000}", -i, 1000, 0) }).ToList();
        await _tracking.LogBatchAsync(run, wide, [], [], None);
        var metrics = (await _tracking.GetRunAsync(run, None)).Metrics.ToDictionary(m => m.Key, m => m.Value);
        Assert.All(Enumerable.Range(0, 150), i => Assert.Equal(i, metrics[$"k{i:000}"]));

        await _tracking.UpdateRunAsync(run, MlflowStatus.Finished, null, null, None);
        var sealedValues = (await _store.GetAsync(run, None))!.Manifest.Metrics.Values;
        Assert.Equal(0.2, sealedValues["loss"]);
        Assert.Equal(0.4, sealedValues["acc"]);
        Assert.Equal(149.0, sealedValues["k149"]);
    }

    [Fact]
    public async Task Writes_at_once_share_commits_and_one_that_fails_fails_alone()
    {
        var runs = new List<string>();
        for (var r = 0; r < 4; r++)
        {
            var run = (await _tracking.CreateRunAsync(new NewRun { RunName = $"group-{r}" }, None)).Info.RunId;
            await _tracking.LogBatchAsync(run, [], [new("lr", "0.1")], [], None);
            runs.Add(run);
        }

        // Every tenth write adds a param and then changes one, which MLflow refuses: it is rolled
        // back whole, and alone. The rest log a point each. They
        // queue behind a held write turn, so the groups are full ones.
        var hold = await _tracking.HoldWriteTurnAsync();
        var writes = Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            var run = runs[i % runs.Count];
            try
            {
                if (i % 10 == 3)
                {
                    await _tracking.LogBatchAsync(run, [new("m", i, 1000, i)], [new($"p{i}", "written, then rolled back"), new("lr", "0.2")], [], None);
                }
                else
                {
                    await _tracking.LogBatchAsync(run, [new("m", i, 1000, i)], [], [new("last", $"{i}")], None);
                }

                return (i, (string?)null);
            }
            catch (TrackingException ex)
            {
                return (i, ex.Message);
            }
        })));
        while (_tracking.QueuedWrites < 200)
        {
            await Task.Delay(5);
        }

        hold.Dispose();
        var outcomes = await writes;

        Assert.Equal(200, _tracking.GroupedWrites);
        Assert.All(outcomes, o => Assert.Equal(o.i % 10 == 3, o.Item2 is not null && o.Item2.Contains("Changing param values", StringComparison.Ordinal)));
        for (var r = 0; r < runs.Count; r++)
        {
            var expected = Enumerable.Range(0, 200).Where(i => i % runs.Count == r && i % 10 != 3).Select(i => (long)i).ToList();
            Assert.Equal(expected, (await HistoryAsync(runs[r], "m")).Select(p => p.Step));
            var run = await _tracking.GetRunAsync(runs[r], None);
            Assert.Equal(["lr"], run.Params.Keys);
            Assert.Equal("0.1", run.Params["lr"]);
            Assert.Equal((double)expected[^1], run.Metrics.Single(m => m.Key == "m").Value);
        }
    }

    [Fact]
    public async Task The_run_a_create_returns_is_the_run_read_back()
    {
        var placed = await _tracking.CreateExperimentAsync("placed", "s3://bucket/placed", new Dictionary<string, string>(), None);
        var plain = await _tracking.CreateExperimentAsync("plain", null, new Dictionary<string, string>(), None);
        foreach (var request in new[]
        {
            new NewRun { ExperimentId = placed, RunName = "named", UserId = "ada", StartTime = 1_700_000_000_123, Tags = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" } },
            new NewRun { ExperimentId = plain, Tags = new Dictionary<string, string> { ["mlflow.runName"] = "from-tag", ["mlflow.parentRunId"] = "p" } },
            new NewRun(),
        })
        {
            var created = await _tracking.CreateRunAsync(request, None);
            var read = await _tracking.GetRunAsync(created.Info.RunId, None);
            Assert.Equal(read.Info, created.Info);
            Assert.Equal(read.Tags.ToList(), created.Tags.ToList());
            Assert.Empty(created.Params);
            Assert.Empty(created.Metrics);
        }
    }

    [Fact]
    public async Task Creates_queued_together_commit_at_once_and_one_reusing_an_id_taken_in_its_own_group_fails_alone()
    {
        // Forty creates and forty log-batches queue behind a held write turn, so they run as one
        // group; create 20 asks for the id create 5 takes earlier in the same group.
        var ids = Enumerable.Range(0, 40).Select(i => i == 20 ? Id(5) : Id(i)).ToList();
        var live = (await _tracking.CreateRunAsync(new NewRun { RunName = "live" }, None)).Info.RunId;
        var hold = await _tracking.HoldWriteTurnAsync();
        var creates = new List<Task<string?>>();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            // One at a time, so they queue in this order.
            creates.Add(Task.Run(async () =>
            {
                try
                {
                    await _tracking.CreateRunAsync(new NewRun { RunId = id, RunName = $"queued-{i}", Tags = new Dictionary<string, string> { ["i"] = $"{i}" } }, None);
                    return (string?)null;
                }
                catch (TrackingException ex)
                {
                    return ex.Message;
                }
            }));
            while (_tracking.QueuedWrites <= i)
            {
                await Task.Delay(1);
            }
        }

        var batches = Enumerable.Range(0, 40).Select(i => Task.Run(() => _tracking.LogBatchAsync(live, [new("m", i, 1000 + i, i)], [], [], None))).ToList();
        while (_tracking.QueuedWrites < 80)
        {
            await Task.Delay(5);
        }

        var grouped = _tracking.GroupedWrites;
        hold.Dispose();
        var outcomes = await Task.WhenAll(creates);
        await Task.WhenAll(batches);

        Assert.True(_tracking.GroupedWrites - grouped >= 64);
        Assert.All(outcomes.Select((o, i) => (o, i)), x => Assert.Equal(x.i == 20, x.o is not null));
        Assert.Equal($"Run with id={Id(5)} already exists", outcomes[20]);
        for (var i = 0; i < 40; i++)
        {
            if (i != 20)
            {
                var run = await _tracking.GetRunAsync(Id(i), None);
                Assert.Equal($"queued-{i}", run.Info.RunName);
                Assert.Equal($"{i}", run.Tags["i"]);
            }
        }

        Assert.Equal(Enumerable.Range(0, 40).Select(i => (long)i), (await HistoryAsync(live, "m")).Select(p => p.Step));
        Assert.Equal(39.0, (await _tracking.GetRunAsync(live, None)).Metrics.Single(m => m.Key == "m").Value);
        Assert.Equal(39L, await ScalarAsync("SELECT COUNT(*) FROM runs WHERE name LIKE 'queued-%'"));

        static string Id(int i) => $"{i:x32}";
    }

    [Fact]
    public async Task A_damaged_history_chunk_is_refused_with_its_run_and_key_named()
    {
        var run = await LogTwoBatchesAsync();
        await ScalarAsync("UPDATE tracking_points SET points = points + 1 WHERE run_id = @run AND key = 'acc'", run);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => _tracking.GetMetricHistoryAsync(run, "acc", null, null, None));
        Assert.Contains($"run {run}, key 'acc'", error.Message, StringComparison.Ordinal);
        Assert.Equal(5, (await HistoryAsync(run, "loss")).Count);
    }

    /// <summary>A live run with two metrics logged in two batches, steps out of order, a NaN and a step logged twice.</summary>
    private async Task<string> LogTwoBatchesAsync()
    {
        var run = (await _tracking.CreateRunAsync(new NewRun { RunName = "history" }, None)).Info.RunId;
        await _tracking.LogBatchAsync(run, [new("loss", 0.5, 1002, 2), new("loss", 0.9, 1000, 0), new("acc", 0.1, 1000, 0)], [], [], None);
        await _tracking.LogBatchAsync(run, [new("loss", double.NaN, 1001, 1), new("loss", 0.7, 1000, 1), new("loss", 0.4, 1003, 2)], [], [], None);
        return run;
    }

    [Fact]
    public async Task Tags_set_at_once_keep_the_last_value_of_a_key_given_twice_and_read_back_in_one_page()
    {
        var tags = Enumerable.Range(0, 250).ToDictionary(i => $"t{i:D3}", i => $"v{i}");
        var created = await _tracking.CreateRunAsync(new NewRun { RunName = "tagged", UserId = "ada", Tags = tags }, None);
        var run = created.Info.RunId;
        Assert.Equal(252, created.Tags.Count);
        Assert.Equal("ada", created.Tags["mlflow.user"]);
        Assert.Equal("tagged", created.Tags["mlflow.runName"]);

        await _tracking.LogBatchAsync(run, [], [new("lr", "0.1")], [new("t001", "first"), new("new", "x"), new("t001", "last")], None);
        var read = await _tracking.GetRunAsync(run, None);
        Assert.Equal("last", read.Tags["t001"]);
        Assert.Equal("x", read.Tags["new"]);
        Assert.Equal("v249", read.Tags["t249"]);
        Assert.Equal(253, read.Tags.Count);
        Assert.Equal("0.1", read.Params["lr"]);
        Assert.Equal(253L, await ScalarAsync("SELECT COUNT(*) FROM tags WHERE run_id = @run", run));
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
