using Repro.Blobs.Storage;
using Repro.Blobs.Storage.Search;
using Repro.Model;
using Repro.Storage.Sql.Search;

namespace Repro.Tests.Search;

/// <summary>Searches over a real run store, filled through the store itself; each store derives one test class and must answer alike.</summary>
public abstract class RunSearchContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private SqlDatabase _database = null!;
    private SqlRunSearch _search = null!;
    private readonly List<RunManifest> _runs = [];

    /// <summary>A new connection pool onto this test's store (empty at first).</summary>
    protected abstract Task<SqlDatabase> OpenDatabaseAsync();

    public async Task InitializeAsync()
    {
        _database = await OpenDatabaseAsync();
        await using (var store = await SqlRunStore.OpenAsync(_database, ownsDatabase: false, CancellationToken.None))
        {
            // 12 runs a minute apart: acc 0.50 .. 0.61, lr alternating, every third failed, two without acc.
            for (var i = 0; i < 12; i++)
            {
                var manifest = RunStoreContract.Manifest(i % 2 == 0 ? "baseline" : "Wide-Net", i % 3 == 2 ? RunStatus.Failed : RunStatus.Ok, Start.AddMinutes(i), 0.5 + (i / 100.0));
                var metrics = new Dictionary<string, double>(manifest.Metrics.Values);
                if (i is 4 or 7)
                {
                    metrics.Remove("acc");
                }

                manifest = manifest with
                {
                    Params = new Dictionary<string, string> { ["lr"] = i % 2 == 0 ? "0.01" : "0.1", ["model-type"] = i < 6 ? "Tree" : "tree" },
                    Tags = new Dictionary<string, string> { ["team"] = "credit", ["mlflow.runName"] = $"run-{i:00}", ["mlflow.user"] = i < 3 ? "ada" : "bob" },
                    Metrics = manifest.Metrics with { Values = metrics },
                    Kind = i == 11 ? "verification" : "run",
                };
                await store.SaveAsync(manifest, CancellationToken.None);
                _runs.Add(manifest);
            }
        }

        await SqlRunSearch.MigrateAsync(_database, CancellationToken.None);
        _search = new SqlRunSearch(_database);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private async Task<List<int>> Indexes(string? filter, params string[] orderBy)
    {
        var result = await _search.SearchAsync(new RunSearchQuery { Filter = filter, OrderBy = orderBy }, CancellationToken.None);
        Assert.Equal(result.Runs.Count, result.Total);
        return result.Runs.Select(r => _runs.FindIndex(m => m.Id == r.Summary.Id)).ToList();
    }

    [Fact]
    public async Task Filters_answer_alike_whether_their_matches_are_looked_up_first_or_not()
    {
        // PostgreSQL looks a clause's matches up first when there are few (see SqlRunSearch): with a
        // bound of 0 only a clause without matches is looked up, with 2 the rare ones, with 1000 all.
        string[] filters =
        [
            "metrics.acc > 0.575", "metrics.acc > 0.605", "metrics.acc > 0.99", "params.lr = '0.01' AND metrics.acc > 0.575",
            "tags.team = 'credit' AND params.`model-type` LIKE 'T%'", "tags.team = 'nobody'",
        ];
        foreach (var bound in new[] { 0, 2, 1000 })
        {
            var search = new SqlRunSearch(_database, null, bound);
            foreach (var filter in filters)
            {
                foreach (var order in new[] { Array.Empty<string>(), ["metrics.acc DESC"] })
                {
                    var expected = await _search.SearchAsync(new RunSearchQuery { Filter = filter, OrderBy = order }, CancellationToken.None);
                    var first = await search.SearchAsync(new RunSearchQuery { Filter = filter, OrderBy = order, MaxResults = 2 }, CancellationToken.None);
                    var ids = first.Runs.Select(r => r.Summary.Id).ToList();
                    for (var token = first.NextPageToken; token is not null;)
                    {
                        var page = await search.SearchAsync(new RunSearchQuery { Filter = filter, OrderBy = order, MaxResults = 2, PageToken = token }, CancellationToken.None);
                        ids.AddRange(page.Runs.Select(r => r.Summary.Id));
                        token = page.NextPageToken;
                    }

                    Assert.Equal(expected.Runs.Select(r => r.Summary.Id), ids);
                    Assert.Equal(expected.Total, first.Total);
                }
            }
        }

        Assert.Equal([11, 10, 9, 8], await Indexes("metrics.acc > 0.575"));
        Assert.Equal([11], await Indexes("metrics.acc > 0.605"));
        Assert.Empty(await Indexes("tags.team = 'nobody'"));
    }

    [Fact]
    public async Task A_search_ordered_by_the_metric_it_filters_on_pages_as_the_full_sort_does()
    {
        // 60 more runs: acc in five values (ties broken by start time, then id; start times tie
        // too), a NaN now and then, some without acc, lr in three values.
        await using (var store = await SqlRunStore.OpenAsync(_database, ownsDatabase: false, CancellationToken.None))
        {
            for (var i = 0; i < 60; i++)
            {
                var manifest = RunStoreContract.Manifest($"tie-{i}", RunStatus.Ok, Start.AddHours(1).AddMinutes(i % 20), i % 7 == 0 ? double.NaN : i % 5 / 10.0);
                var metrics = new Dictionary<string, double>(manifest.Metrics.Values);
                if (i % 11 == 0)
                {
                    metrics.Remove("acc");
                }

                await store.SaveAsync(manifest with { Params = new Dictionary<string, string> { ["lr"] = $"{i % 3}" }, Tags = new Dictionary<string, string> { ["team"] = i % 2 == 0 ? "credit" : "risk" }, Metrics = manifest.Metrics with { Values = metrics } }, CancellationToken.None);
            }
        }

        var walked = new SqlRunSearch(_database, null, 1000);
        var sorted = new SqlRunSearch(_database, null, 1000, walkMetricIndex: false);
        string[] filters = ["metrics.acc > 0.15", "metrics.acc >= 0", "metrics.acc < 0.35 AND params.lr = '1'", "metrics.acc != 0.2 AND tags.team = 'credit'", "metrics.acc = 0.3", "metrics.acc > 5"];
        string[][] orders = [["metrics.acc DESC"], ["metrics.acc ASC"], ["metrics.acc DESC", "params.lr ASC"], ["metrics.acc ASC", "start_time ASC"]];
        foreach (var filter in filters)
        {
            foreach (var order in orders)
            {
                var all = await sorted.SearchAsync(new RunSearchQuery { Filter = filter, OrderBy = order, MaxResults = 1000 }, CancellationToken.None);
                var expected = all.Runs.Select(r => r.Summary.Id).ToList();
                Assert.Equal(expected, await PagesAsync(sorted, filter, order));
                Assert.Equal(expected, await PagesAsync(walked, filter, order));
            }
        }

        var best = await walked.SearchAsync(new RunSearchQuery { Filter = "metrics.acc > 0.15", OrderBy = ["metrics.acc DESC"], MaxResults = 3, CountTotal = false }, CancellationToken.None);
        Assert.Equal([0.61, 0.60, 0.59], best.Runs.Select(r => Math.Round(r.Summary.Metrics["acc"], 9)));
    }

    /// <summary>Every id a search finds, four a page, through its page tokens, without a total count.</summary>
    private static async Task<List<string>> PagesAsync(SqlRunSearch search, string filter, string[] order)
    {
        var ids = new List<string>();
        string? token = null;
        do
        {
            var page = await search.SearchAsync(new RunSearchQuery { Filter = filter, OrderBy = order, MaxResults = 4, PageToken = token, CountTotal = false }, CancellationToken.None);
            ids.AddRange(page.Runs.Select(r => r.Summary.Id));
            token = page.NextPageToken;
        }
        while (token is not null);
        return ids;
    }

    [Fact]
    public async Task No_filter_lists_every_run_newest_first()
    {
        Assert.Equal(Enumerable.Range(0, 12).Reverse(), await Indexes(null));
    }

    [Fact]
    public async Task A_metric_filter_keeps_the_runs_above_the_bound_and_skips_runs_without_the_metric()
    {
        Assert.Equal([11, 10, 9, 8], await Indexes("metrics.acc > 0.575"));
        Assert.Equal([11, 10, 9, 8, 6, 5, 3, 2, 1, 0], await Indexes("metrics.acc != 0.99"));
        Assert.Equal([0], await Indexes("metrics.acc = 0.5"));
    }

    [Fact]
    public async Task The_documented_example_combines_metric_param_tag_and_status()
    {
        Assert.Equal([10, 6], await Indexes("metrics.acc > 0.55 AND params.lr = '0.01' AND tags.\"mlflow.runName\" LIKE 'run-%' AND attributes.status = 'FINISHED'"));
    }

    [Fact]
    public async Task Status_filters_speak_mlflow_and_repro_words()
    {
        Assert.Equal([11, 8, 5, 2], await Indexes("attributes.status = 'FAILED'"));
        Assert.Equal([11, 8, 5, 2], await Indexes("status = 'failed'"));
        Assert.Equal(8, (await Indexes("attributes.status != 'FAILED'")).Count);
        Assert.Equal(12, (await Indexes("attributes.status IN ('FINISHED', 'FAILED')")).Count);
        Assert.Empty(await Indexes("attributes.status = 'KILLED'"));
        Assert.Equal(8, (await Indexes("attributes.status LIKE 'FIN%'")).Count);
        Assert.Equal(8, (await Indexes("attributes.status NOT IN ('FAILED', 'RUNNING')")).Count);
    }

    [Fact]
    public async Task Like_is_case_sensitive_and_ilike_is_not()
    {
        Assert.Equal([5, 4, 3, 2, 1, 0], await Indexes("params.`model-type` LIKE 'T%'"));
        Assert.Equal(12, (await Indexes("params.`model-type` ILIKE 't%'")).Count);
        Assert.Equal([11, 9, 7, 5, 3, 1], await Indexes("attributes.run_name LIKE 'Wide%'"));
        Assert.Empty(await Indexes("attributes.run_name LIKE 'wide%'"));
        Assert.Equal(6, (await Indexes("run_name ILIKE 'wide_net'")).Count);
        Assert.Equal(10, (await Indexes("tags.`mlflow.runName` LIKE 'run-0_'")).Count);
    }

    [Fact]
    public async Task Run_ids_user_and_start_time_attributes_filter_too()
    {
        Assert.Equal([3, 1], await Indexes($"attributes.run_id IN ('{_runs[1].Id}', '{_runs[3].Id}')"));
        Assert.Equal(10, (await Indexes($"attributes.run_id NOT IN ('{_runs[1].Id}', '{_runs[3].Id}')")).Count);
        Assert.Equal([2, 1, 0], await Indexes("attributes.user_id = 'ada'"));

        var at5 = _runs[5].CreatedAt.ToUnixTimeMilliseconds();
        Assert.Equal([5], await Indexes($"attributes.start_time = {at5}"));
        Assert.Equal([11, 10, 9, 8, 7, 6], await Indexes($"attributes.start_time > {at5}"));
        Assert.Equal([5, 4, 3, 2, 1, 0], await Indexes($"attributes.created <= {at5}"));
        Assert.Equal([4, 3, 2, 1, 0], await Indexes($"attributes.start_time < {at5}"));

        // Each test run ends when it starts (wall time 0): end_time follows start_time.
        Assert.Equal([11, 10, 9, 8, 7, 6], await Indexes($"attributes.end_time > {at5}"));
    }

    [Theory]
    [InlineData("params.lr = '1'' OR 1=1 --'")]
    [InlineData("params.lr = '0.01'' OR ''1''=''1'")]
    [InlineData("params.\"lr' OR 1=1 --\" = '0.01'")]
    [InlineData("tags.team = 'credit\"; DROP TABLE runs; --'")]
    [InlineData("attributes.run_name LIKE '%'' OR 1=1 --'")]
    [InlineData("attributes.run_id IN ('x'') OR 1=1 --')")]
    [InlineData("tags.`team') OR 1=1 --` != 'x'")]
    public async Task Sql_injection_attempts_match_nothing_and_break_nothing(string filter)
    {
        Assert.Empty(await Indexes(filter));
        Assert.Equal(12, (await Indexes(null)).Count);
    }

    [Fact]
    public async Task Ordering_by_a_metric_puts_runs_without_it_last_in_either_direction()
    {
        var descending = await Indexes(null, "metrics.acc DESC");
        Assert.Equal([11, 10, 9, 8, 6, 5, 3, 2, 1, 0, 7, 4], descending);
        var ascending = await Indexes(null, "metrics.acc ASC");
        Assert.Equal([0, 1, 2, 3, 5, 6, 8, 9, 10, 11, 7, 4], ascending);
    }

    [Fact]
    public async Task Ordering_by_a_param_then_start_time_and_by_attributes()
    {
        Assert.Equal([10, 8, 6, 4, 2, 0, 11, 9, 7, 5, 3, 1], await Indexes(null, "params.lr"));
        Assert.Equal([0, 2, 4, 6, 8, 10, 1, 3, 5, 7, 9, 11], await Indexes(null, "params.lr", "attributes.start_time ASC"));
        Assert.Equal(Enumerable.Range(0, 12), await Indexes(null, "attributes.created ASC"));
        Assert.Equal([10, 8, 6, 4, 2, 0, 11, 9, 7, 5, 3, 1], await Indexes(null, "attributes.run_name DESC"));
        Assert.Equal([11, 8, 5, 2], (await Indexes(null, "attributes.status ASC")).Take(4));
    }

    [Fact]
    public async Task Keyset_pages_cover_every_match_once_in_order_whatever_the_sort()
    {
        foreach (var order in new[] { Array.Empty<string>(), ["metrics.acc DESC"], ["metrics.acc"], ["params.lr DESC", "metrics.acc"], ["attributes.end_time DESC"], ["tags.`mlflow.user`"] })
        {
            var whole = await _search.SearchAsync(new RunSearchQuery { OrderBy = order }, CancellationToken.None);
            var paged = new List<string>();
            string? token = null;
            var pages = 0;
            do
            {
                var page = await _search.SearchAsync(new RunSearchQuery { OrderBy = order, MaxResults = 5, PageToken = token }, CancellationToken.None);
                Assert.Equal(12, page.Total);
                paged.AddRange(page.Runs.Select(r => r.Summary.Id));
                token = page.NextPageToken;
                pages++;
            }
            while (token is not null);

            Assert.Equal(3, pages);
            Assert.Equal(whole.Runs.Select(r => r.Summary.Id), paged);
        }
    }

    [Fact]
    public async Task A_filtered_page_counts_all_matches_and_the_last_page_has_no_token()
    {
        var first = await _search.SearchAsync(new RunSearchQuery { Filter = "params.lr = '0.1'", MaxResults = 4 }, CancellationToken.None);
        Assert.Equal(6, first.Total);
        Assert.Equal(4, first.Runs.Count);
        var second = await _search.SearchAsync(new RunSearchQuery { Filter = "params.lr = '0.1'", MaxResults = 4, PageToken = first.NextPageToken }, CancellationToken.None);
        Assert.Equal(2, second.Runs.Count);
        Assert.Null(second.NextPageToken);

        var exact = await _search.SearchAsync(new RunSearchQuery { Filter = "params.lr = '0.1'", MaxResults = 6, CountTotal = false }, CancellationToken.None);
        Assert.Null(exact.NextPageToken);
        Assert.Null(exact.Total);
    }

    [Fact]
    public async Task A_page_token_only_works_for_the_query_that_made_it()
    {
        var first = await _search.SearchAsync(new RunSearchQuery { MaxResults = 2 }, CancellationToken.None);
        var other = await Assert.ThrowsAsync<SearchFilterException>(() => _search.SearchAsync(new RunSearchQuery { MaxResults = 2, Filter = "metrics.acc > 0", PageToken = first.NextPageToken }, CancellationToken.None));
        Assert.Contains("another filter or order_by", other.Message, StringComparison.Ordinal);
        var garbage = await Assert.ThrowsAsync<SearchFilterException>(() => _search.SearchAsync(new RunSearchQuery { PageToken = "not base64!" }, CancellationToken.None));
        Assert.Equal("Invalid page token, could not base64-decode", garbage.Message);
        var json = Convert.ToBase64String("{\"offset\": 5}"u8.ToArray());
        await Assert.ThrowsAsync<SearchFilterException>(() => _search.SearchAsync(new RunSearchQuery { PageToken = json }, CancellationToken.None));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(50_001)]
    public async Task Max_results_outside_mlflow_limits_is_refused(int maxResults)
    {
        var error = await Assert.ThrowsAsync<SearchFilterException>(() => _search.SearchAsync(new RunSearchQuery { MaxResults = maxResults }, CancellationToken.None));
        Assert.Contains("max_results", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_filters_for_name_status_and_kind_combine_with_the_grammar()
    {
        async Task<List<int>> Plain(RunSearchQuery query) =>
            (await _search.SearchAsync(query, CancellationToken.None)).Runs.Select(r => _runs.FindIndex(m => m.Id == r.Summary.Id)).ToList();

        Assert.Equal([10, 8, 6, 4, 2, 0], await Plain(new RunSearchQuery { Name = "baseline" }));
        Assert.Equal([11, 9, 7, 5, 3, 1], await Plain(new RunSearchQuery { NameContains = "wide-" }));
        Assert.Empty(await Plain(new RunSearchQuery { NameContains = "%" }));
        Assert.Equal([11, 8, 5, 2], await Plain(new RunSearchQuery { Statuses = [RunStatus.Failed] }));
        Assert.Equal([11], await Plain(new RunSearchQuery { Kinds = ["verification"] }));
        Assert.Equal([8, 5, 2], await Plain(new RunSearchQuery { Kinds = ["run"], Statuses = [RunStatus.Failed], Filter = "metrics.acc > 0" }));
        Assert.Equal(12, (await Plain(new RunSearchQuery { ExperimentIds = ["0"] })).Count);
        Assert.Empty(await Plain(new RunSearchQuery { ExperimentIds = ["7"] }));
        Assert.Empty(await Plain(new RunSearchQuery { ViewType = RunViewType.DeletedOnly }));
    }

    [Fact]
    public async Task Each_run_of_a_page_carries_its_metrics_params_tags_and_mlflow_status()
    {
        var result = await _search.SearchAsync(new RunSearchQuery { Filter = $"attributes.run_id = '{_runs[2].Id}'" }, CancellationToken.None);
        var run = Assert.Single(result.Runs);
        Assert.Equal(0.52, run.Summary.Metrics["acc"], 10);
        Assert.True(double.IsNaN(run.Summary.Metrics["loss"]));
        Assert.Equal("0.01", run.Params["lr"]);
        Assert.Equal("ada", run.Tags["mlflow.user"]);
        Assert.Equal("FAILED", run.MlflowStatus);
        Assert.Equal(RunStatus.Failed, run.Summary.Status);
        Assert.Equal(_runs[2].CreatedAt, run.Summary.CreatedAt);
    }

    [Fact]
    public async Task The_tracking_hook_joins_its_table_for_experiments_lifecycle_and_user()
    {
        await using (var connection = await _database.OpenConnectionAsync(CancellationToken.None))
        {
            await SqlDatabase.ExecuteAsync(connection, null, "CREATE TABLE tracked(run_id TEXT PRIMARY KEY, experiment_id TEXT, user_id TEXT, lifecycle_stage TEXT, end_time BIGINT, artifact_uri TEXT)", CancellationToken.None);
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO tracked VALUES (@a, '5', 'carol', 'active', 1, 's3://x/a'), (@b, '5', 'dan', 'deleted', 2, 's3://x/b')";
            SqlDatabase.AddParameter(insert, "a", _runs[0].Id);
            SqlDatabase.AddParameter(insert, "b", _runs[1].Id);
            await insert.ExecuteNonQueryAsync();
        }

        var tracked = new SqlRunSearch(_database, new TrackingColumns
        {
            Table = "tracked",
            ExperimentId = "experiment_id",
            UserId = "user_id",
            LifecycleStage = "lifecycle_stage",
            EndTime = "end_time",
            ArtifactUri = "artifact_uri",
        });
        async Task<List<int>> Find(RunSearchQuery query) =>
            (await tracked.SearchAsync(query, CancellationToken.None)).Runs.Select(r => _runs.FindIndex(m => m.Id == r.Summary.Id)).ToList();

        Assert.Equal([0], await Find(new RunSearchQuery { ExperimentIds = ["5"] }));
        Assert.Equal([1], await Find(new RunSearchQuery { ExperimentIds = ["5"], ViewType = RunViewType.DeletedOnly }));
        Assert.Equal(10, (await Find(new RunSearchQuery { ExperimentIds = ["0"] })).Count);
        Assert.Equal([0], await Find(new RunSearchQuery { Filter = "attributes.user_id = 'carol'" }));
        Assert.Equal([2], await Find(new RunSearchQuery { Filter = "attributes.user_id = 'ada'" }));
        Assert.Equal([0], await Find(new RunSearchQuery { Filter = "attributes.artifact_uri LIKE 's3://%'" }));
        Assert.Equal([0], await Find(new RunSearchQuery { Filter = "attributes.end_time < 10" }));
        Assert.Throws<ArgumentException>(() => new SqlRunSearch(_database, new TrackingColumns { Table = "tracked; DROP TABLE runs" }));
    }
}
