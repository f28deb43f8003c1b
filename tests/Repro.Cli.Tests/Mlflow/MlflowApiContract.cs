using System.Globalization;
using System.Text;
using System.Text.Json;
using Repro.Blobs.Storage;
using Repro.Model;

namespace Repro.Cli.Tests.Mlflow;

/// <summary>
/// The MLflow REST API through a real server, with bodies shaped as MLflow's Python client
/// (RestStore) sends them; each store derives one test class and must answer alike.
/// </summary>
public abstract class MlflowApiContract
{
    protected abstract Task<TrackingServer> StartAsync(string? token = null);

    [Fact]
    public async Task A_run_logged_and_ended_through_the_api_is_sealed_into_an_ordinary_repro_run()
    {
        await using var server = await StartAsync();
        var id = await server.CreateRunAsync();
        Assert.Matches("^[0-9a-f]{32}$", id);

        Assert.Equal(200, (await server.PostAsync("runs/log-parameter", $$"""{"run_uuid": "{{id}}", "run_id": "{{id}}", "key": "lr", "value": "0.01"}""")).Status);
        Assert.Equal(200, (await server.PostAsync("runs/log-metric", $$"""{"run_uuid": "{{id}}", "run_id": "{{id}}", "key": "loss", "value": 0.9, "timestamp": 1700000001000, "step": 0}""")).Status);
        Assert.Equal(200, (await server.PostAsync("runs/log-metric", $$"""{"run_uuid": "{{id}}", "run_id": "{{id}}", "key": "loss", "value": 0.4, "timestamp": 1700000002000, "step": 1}""")).Status);
        Assert.Equal(200, (await server.PostAsync("runs/set-tag", $$"""{"run_uuid": "{{id}}", "run_id": "{{id}}", "key": "stage", "value": "dev"}""")).Status);

        // While it runs, repro lists it as running with its latest metric.
        var live = await server.Runs.ListAsync(new RunQuery { Status = RunStatus.Running }, CancellationToken.None);
        Assert.Equal(id, Assert.Single(live).Id);
        Assert.Equal(0.4, live[0].Metrics["loss"]);

        var (status, got) = await server.GetAsync($"runs/get?run_uuid={id}&run_id={id}");
        Assert.Equal(200, status);
        var run = got.GetProperty("run");
        Assert.Equal("RUNNING", run.GetProperty("info").GetProperty("status").GetString());
        Assert.Equal("0", run.GetProperty("info").GetProperty("experiment_id").GetString());
        Assert.Equal(1700000000000, run.GetProperty("info").GetProperty("start_time").GetInt64());
        var metric = Assert.Single(run.GetProperty("data").GetProperty("metrics").EnumerateArray());
        Assert.Equal(("loss", 0.4, 1L), (metric.GetProperty("key").GetString(), metric.GetProperty("value").GetDouble(), metric.GetProperty("step").GetInt64()));
        Assert.Contains(run.GetProperty("data").GetProperty("params").EnumerateArray(), p => p.GetProperty("key").GetString() == "lr" && p.GetProperty("value").GetString() == "0.01");

        var (updated, info) = await server.PostAsync("runs/update", $$"""{"run_uuid": "{{id}}", "run_id": "{{id}}", "status": "FINISHED", "end_time": 1700000003000}""");
        Assert.Equal(200, updated);
        Assert.Equal("FINISHED", info.GetProperty("run_info").GetProperty("status").GetString());
        Assert.Equal(1700000003000, info.GetProperty("run_info").GetProperty("end_time").GetInt64());

        var stored = await server.Runs.GetAsync(id, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(RunStatus.Ok, stored.Manifest.Status);
        Assert.Equal("tracked", stored.Manifest.Kind);
        Assert.Equal("0.01", stored.Manifest.Params["lr"]);
        Assert.Equal("dev", stored.Manifest.Tags["stage"]);
        Assert.Equal([new MetricStep(0, 0.9), new MetricStep(1, 0.4)], stored.Manifest.Metrics.Steps["loss"]);
        Assert.Equal(3.0, stored.Manifest.Execution.WallSeconds);
        var audit = await server.Runs.ReadAuditAsync(CancellationToken.None);
        Assert.Equal(id, Assert.Single(audit).Subject);

        // Sealed: its record cannot change any more.
        var (refused, error) = await server.PostAsync("runs/log-metric", $$"""{"run_id": "{{id}}", "key": "loss", "value": 0.1, "timestamp": 1700000004000}""");
        Assert.Equal(400, refused);
        Assert.Equal("INVALID_STATE", error.GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task A_live_runs_page_charts_every_step_logged_so_far()
    {
        await using var server = await StartAsync();
        var id = await server.CreateRunAsync();
        var points = string.Join(", ", Enumerable.Range(0, 5).Select(step => string.Create(CultureInfo.InvariantCulture, $$"""{"key": "loss", "value": {{1.0 / (step + 1)}}, "timestamp": {{1700000001000 + step}}, "step": {{step}}}""")));
        Assert.Equal(200, (await server.PostAsync("runs/log-batch", $$"""{"run_id": "{{id}}", "metrics": [{{points}}]}""")).Status);

        using var response = await server.Client.GetAsync("runs/" + id);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains("loss by step", page, StringComparison.Ordinal);
        Assert.Contains("<svg class=\"chart\"", page, StringComparison.Ordinal);

        // Sealed, the same chart comes from the run's own manifest.
        Assert.Equal(200, (await server.PostAsync("runs/update", $$"""{"run_id": "{{id}}", "status": "FINISHED", "end_time": 1700000009000}""")).Status);
        using var sealedResponse = await server.Client.GetAsync("runs/" + id);
        Assert.Contains("loss by step", await sealedResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Int64_fields_may_be_strings_and_nan_and_infinity_round_trip_as_mlflow_writes_them()
    {
        await using var server = await StartAsync();
        var id = await server.CreateRunAsync();
        var (status, _) = await server.PostAsync("runs/log-batch", $$"""
            {"run_id": "{{id}}", "metrics": [
              {"key": "m", "value": "NaN", "timestamp": "1700000001000", "step": "1"},
              {"key": "m", "value": "Infinity", "timestamp": 1700000002000, "step": 2},
              {"key": "m", "value": "-Infinity", "timestamp": 1700000003000, "step": 3},
              {"key": "m", "value": 1.5, "timestamp": 1700000004000}],
             "params": [{"key": "p", "value": "1"}], "tags": [{"key": "t", "value": "x"}]}
            """);
        Assert.Equal(200, status);

        var (ok, history) = await server.GetAsync($"metrics/get-history?run_uuid={id}&run_id={id}&metric_key=m");
        Assert.Equal(200, ok);
        var points = history.GetProperty("metrics").EnumerateArray().Select(p => (p.GetProperty("step").GetInt64(), p.GetProperty("value").ToString())).ToList();
        Assert.Equal([(0L, "1.5"), (1L, "NaN"), (2L, "Infinity"), (3L, "-Infinity")], points);

        // The latest is the greatest step: -Infinity, written as MLflow writes it.
        var (_, got) = await server.GetAsync($"runs/get?run_id={id}");
        var latest = Assert.Single(got.GetProperty("run").GetProperty("data").GetProperty("metrics").EnumerateArray());
        Assert.Equal(JsonValueKind.String, latest.GetProperty("value").ValueKind);
        Assert.Equal("-Infinity", latest.GetProperty("value").GetString());

        // Paged history: two at a time, then the rest.
        var (_, page) = await server.GetAsync($"metrics/get-history?run_id={id}&metric_key=m&max_results=2");
        Assert.Equal(2, page.GetProperty("metrics").GetArrayLength());
        var token = Uri.EscapeDataString(page.GetProperty("next_page_token").GetString()!);
        var (_, rest) = await server.GetAsync($"metrics/get-history?run_id={id}&metric_key=m&max_results=2&page_token={token}");
        Assert.Equal(2, rest.GetProperty("metrics").GetArrayLength());
    }

    [Theory]
    [InlineData(1001, 0, 0, "A batch logging request can contain at most 1000 metrics. Got 1001 metrics. Please split up metrics across multiple requests and try again.")]
    [InlineData(0, 101, 0, "A batch logging request can contain at most 100 params. Got 101 params.")]
    [InlineData(0, 0, 101, "A batch logging request can contain at most 100 tags. Got 101 tags.")]
    [InlineData(950, 51, 0, "A batch logging request can contain at most 1000 metrics, params, and tags. Got 1001 metrics, params, and tags.")]
    public async Task An_over_limit_batch_is_refused_with_mlflows_message(int metrics, int parameters, int tags, string message)
    {
        await using var server = await StartAsync();
        var id = await server.CreateRunAsync();
        var body = JsonSerializer.Serialize(new
        {
            run_id = id,
            metrics = Enumerable.Range(0, metrics).Select(i => new { key = "m", value = 1.0 * i, timestamp = 1700000000000L + i, step = i }),
            @params = Enumerable.Range(0, parameters).Select(i => new { key = $"p{i}", value = "v" }),
            tags = Enumerable.Range(0, tags).Select(i => new { key = $"t{i}", value = "v" }),
        });
        var (status, error) = await server.PostAsync("runs/log-batch", body);
        Assert.Equal(400, status);
        Assert.Equal("INVALID_PARAMETER_VALUE", error.GetProperty("error_code").GetString());
        Assert.StartsWith(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);

        // Nothing of the refused batch was stored.
        var (_, got) = await server.GetAsync($"runs/get?run_id={id}");
        Assert.False(got.GetProperty("run").GetProperty("data").TryGetProperty("metrics", out _));
    }

    [Fact]
    public async Task A_param_logged_again_with_another_value_is_refused_and_with_the_same_value_accepted()
    {
        await using var server = await StartAsync();
        var id = await server.CreateRunAsync();
        Assert.Equal(200, (await server.PostAsync("runs/log-parameter", $$"""{"run_id": "{{id}}", "key": "lr", "value": "0.01"}""")).Status);
        Assert.Equal(200, (await server.PostAsync("runs/log-batch", $$"""{"run_id": "{{id}}", "params": [{"key": "lr", "value": "0.01"}]}""")).Status);
        var (status, error) = await server.PostAsync("runs/log-batch", $$"""{"run_id": "{{id}}", "params": [{"key": "lr", "value": "0.1"}]}""");
        Assert.Equal(400, status);
        Assert.Equal("INVALID_PARAMETER_VALUE", error.GetProperty("error_code").GetString());
        Assert.Contains("Changing param values is not allowed. Param with key='lr' was already logged with value='0.01'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_runs_and_experiments_are_resource_does_not_exist()
    {
        await using var server = await StartAsync();
        var missing = new string('a', 32);
        foreach (var (status, body) in new[]
        {
            await server.GetAsync($"runs/get?run_uuid={missing}&run_id={missing}"),
            await server.PostAsync("runs/log-metric", $$"""{"run_id": "{{missing}}", "key": "m", "value": 1, "timestamp": 1}"""),
            await server.PostAsync("runs/update", $$"""{"run_id": "{{missing}}", "status": "FINISHED"}"""),
            await server.GetAsync("experiments/get?experiment_id=42"),
            await server.GetAsync("experiments/get-by-name?experiment_name=nope"),
            await server.PostAsync("runs/create", """{"experiment_id": "42"}"""),
        })
        {
            Assert.Equal(404, status);
            Assert.Equal("RESOURCE_DOES_NOT_EXIST", body.GetProperty("error_code").GetString());
        }

        var (found, message) = await server.GetAsync($"runs/get?run_id={missing}");
        Assert.Equal(404, found);
        Assert.Equal($"Run with id={missing} not found", message.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Malformed_requests_get_mlflows_error_codes()
    {
        await using var server = await StartAsync();
        var (bad, badBody) = await server.PostAsync("runs/create", "{\"experiment_id\": ");
        Assert.Equal(400, bad);
        Assert.Equal("BAD_REQUEST", badBody.GetProperty("error_code").GetString());

        var id = await server.CreateRunAsync();
        var (missing, missingBody) = await server.PostAsync("runs/log-metric", $$"""{"run_id": "{{id}}", "value": 1, "timestamp": 1}""");
        Assert.Equal(400, missing);
        Assert.Equal("Missing value for required parameter 'key'. See the API docs for more information about request parameters.", missingBody.GetProperty("message").GetString());

        var (typed, typedBody) = await server.PostAsync("runs/log-metric", $$"""{"run_id": "{{id}}", "key": "m", "value": 1, "timestamp": "yesterday"}""");
        Assert.Equal(400, typed);
        Assert.Equal("INVALID_PARAMETER_VALUE", typedBody.GetProperty("error_code").GetString());

        var (name, nameBody) = await server.PostAsync("runs/log-parameter", $$"""{"run_id": "{{id}}", "key": "../etc", "value": "1"}""");
        Assert.Equal(400, name);
        Assert.StartsWith("Invalid parameter name: '../etc'.", nameBody.GetProperty("message").GetString(), StringComparison.Ordinal);

        var (unknown, unknownBody) = await server.PostAsync("runs/frobnicate", "{}");
        Assert.Equal(404, unknown);
        Assert.Equal("ENDPOINT_NOT_FOUND", unknownBody.GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task A_body_over_one_megabyte_is_refused()
    {
        await using var server = await StartAsync();
        var id = await server.CreateRunAsync();
        var huge = new StringBuilder($$"""{"run_id": "{{id}}", "tags": [{"key": "t", "value": " """);
        huge.Append('x', (1 << 20) + 10).Append("\"}]}");
        var (status, body) = await server.PostRefusedByLengthAsync("runs/log-batch", huge.ToString());
        Assert.Equal(413, status);
        Assert.Equal("INVALID_PARAMETER_VALUE", body.GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task With_a_token_set_a_request_without_it_is_refused()
    {
        const string Token = "0123456789abcdef0123456789abcdef";
        await using var server = await StartAsync(Token);
        using var anonymous = new HttpClient { BaseAddress = server.Url };
        using var refused = await anonymous.GetAsync("api/2.0/mlflow/experiments/get?experiment_id=0");
        Assert.Equal(401, (int)refused.StatusCode);
        Assert.Contains("UNAUTHENTICATED", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var (status, body) = await server.GetAsync("experiments/get?experiment_id=0");
        Assert.Equal(200, status);
        Assert.Equal("Default", body.GetProperty("experiment").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Experiments_are_created_found_searched_renamed_and_deleted_as_in_mlflow()
    {
        await using var server = await StartAsync();
        var (created, body) = await server.PostAsync("experiments/create", """{"name": "churn", "tags": [{"key": "team", "value": "risk"}]}""");
        Assert.Equal(200, created);
        var id = body.GetProperty("experiment_id").GetString();
        Assert.Equal("1", id);

        var (again, againBody) = await server.PostAsync("experiments/create", """{"name": "churn"}""");
        Assert.Equal(400, again);
        Assert.Equal("RESOURCE_ALREADY_EXISTS", againBody.GetProperty("error_code").GetString());

        var (_, byName) = await server.GetAsync("experiments/get-by-name?experiment_name=churn");
        var experiment = byName.GetProperty("experiment");
        Assert.Equal(id, experiment.GetProperty("experiment_id").GetString());
        Assert.Equal("active", experiment.GetProperty("lifecycle_stage").GetString());
        Assert.Equal("risk", Assert.Single(experiment.GetProperty("tags").EnumerateArray()).GetProperty("value").GetString());
        Assert.EndsWith("/mlartifacts/1", experiment.GetProperty("artifact_location").GetString(), StringComparison.Ordinal);

        var (_, search) = await server.PostAsync("experiments/search", """{"max_results": 1000, "filter": "name LIKE 'ch%'", "view_type": "ACTIVE_ONLY"}""");
        Assert.Equal(["churn"], search.GetProperty("experiments").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        var (_, all) = await server.PostAsync("experiments/search", """{"max_results": 1000}""");
        Assert.Equal(["Default", "churn"], all.GetProperty("experiments").EnumerateArray().Select(e => e.GetProperty("name").GetString()).Order(StringComparer.Ordinal));

        Assert.Equal(200, (await server.PostAsync("experiments/update", $$"""{"experiment_id": "{{id}}", "new_name": "churn-v2"}""")).Status);
        Assert.Equal(200, (await server.PostAsync("experiments/set-experiment-tag", $$"""{"experiment_id": "{{id}}", "key": "owner", "value": "bo"}""")).Status);
        var runId = await server.CreateRunAsync(id!);
        Assert.Equal(200, (await server.PostAsync("experiments/delete", $$"""{"experiment_id": "{{id}}"}""")).Status);
        var (_, deleted) = await server.PostAsync("experiments/search", """{"max_results": 10, "view_type": "DELETED_ONLY"}""");
        Assert.Equal(["churn-v2"], deleted.GetProperty("experiments").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        var (refused, refusedBody) = await server.PostAsync("runs/create", $$"""{"experiment_id": "{{id}}"}""");
        Assert.Equal(400, refused);
        Assert.Equal("INVALID_STATE", refusedBody.GetProperty("error_code").GetString());

        var (_, run) = await server.GetAsync($"runs/get?run_id={runId}");
        Assert.Equal(id, run.GetProperty("run").GetProperty("info").GetProperty("experiment_id").GetString());
    }

    [Fact]
    public async Task Deleted_runs_leave_the_default_search_and_come_back_when_restored()
    {
        await using var server = await StartAsync();
        var kept = await server.CreateRunAsync();
        var dropped = await server.CreateRunAsync();
        Assert.Equal(200, (await server.PostAsync("runs/delete", $$"""{"run_id": "{{dropped}}"}""")).Status);
        var (_, active) = await server.PostAsync("runs/search", """{"experiment_ids": ["0"], "run_view_type": "ACTIVE_ONLY", "max_results": 1000}""");
        Assert.Equal([kept], active.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("info").GetProperty("run_id").GetString()));
        var (_, deleted) = await server.PostAsync("runs/search", """{"experiment_ids": ["0"], "run_view_type": "DELETED_ONLY"}""");
        Assert.Equal([dropped], deleted.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("info").GetProperty("run_id").GetString()));
        var (logged, error) = await server.PostAsync("runs/set-tag", $$"""{"run_id": "{{dropped}}", "key": "k", "value": "v"}""");
        Assert.Equal(400, logged);
        Assert.Equal("INVALID_STATE", error.GetProperty("error_code").GetString());
        Assert.Equal(200, (await server.PostAsync("runs/restore", $$"""{"run_id": "{{dropped}}"}""")).Status);
        Assert.Equal(200, (await server.PostAsync("runs/log-inputs", $$"""{"run_id": "{{dropped}}", "datasets": []}""")).Status);
        var (_, both) = await server.PostAsync("runs/search", """{"experiment_ids": ["0"], "max_results": 1}""");
        Assert.Single(both.GetProperty("runs").EnumerateArray());
        Assert.True(both.TryGetProperty("next_page_token", out _));
    }
    [Fact]
    public async Task Runs_search_filters_by_a_metric_orders_by_it_and_pages_with_tokens()
    {
        await using var server = await StartAsync();
        var (_, created) = await server.PostAsync("experiments/create", """{"name": "search"}""");
        var experiment = created.GetProperty("experiment_id").GetString()!;
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var id = await server.CreateRunAsync(experiment);
            ids.Add(id);
            var acc = (0.5 + (i * 0.1)).ToString("R", CultureInfo.InvariantCulture);
            var metrics = i == 2 ? "[]" : $$"""[{"key": "acc", "value": {{acc}}, "timestamp": 1700000001000, "step": 0}]""";
            var body = $$"""{"run_id": "{{id}}", "metrics": {{metrics}}, "params": [{"key": "lr", "value": "{{(i % 2 == 0 ? "0.1" : "0.01")}}"}], "tags": [{"key": "mlflow.runName", "value": "{{(i < 3 ? "Wide" : "wide")}}-{{i}}"}]}""";
            Assert.Equal(200, (await server.PostAsync("runs/log-batch", body)).Status);
        }

        async Task<(List<int> Runs, string? Token)> Search(string filter, string[] orderBy, int maxResults, string? token = null)
        {
            var request = JsonSerializer.Serialize(new { experiment_ids = new[] { experiment }, filter, run_view_type = "ACTIVE_ONLY", max_results = maxResults, order_by = orderBy, page_token = token ?? string.Empty });
            var (status, body) = await server.PostAsync("runs/search", request);
            Assert.True(status == 200, body.ToString());
            var runs = body.TryGetProperty("runs", out var list) ? list.EnumerateArray().Select(r => ids.IndexOf(r.GetProperty("info").GetProperty("run_id").GetString()!)).ToList() : [];
            return (runs, body.TryGetProperty("next_page_token", out var next) ? next.GetString() : null);
        }

        // metrics.acc > 0.65 by acc descending, two a page: 5, 4 then 3, and no further page.
        var first = await Search("metrics.acc > 0.65", ["metrics.acc DESC"], 2);
        Assert.Equal([5, 4], first.Runs);
        Assert.NotNull(first.Token);
        var second = await Search("metrics.acc > 0.65", ["metrics.acc DESC"], 2, first.Token);
        Assert.Equal([3], second.Runs);
        Assert.Null(second.Token);

        // A run without the metric sorts last in either direction; pages join up to the whole list.
        Assert.Equal([5, 4, 3, 1, 0, 2], (await Search(string.Empty, ["metrics.acc DESC"], 100)).Runs);
        var whole = (await Search(string.Empty, ["metrics.acc ASC"], 100)).Runs;
        Assert.Equal([0, 1, 3, 4, 5, 2], whole);
        var paged = new List<int>();
        string? token = null;
        do
        {
            var page = await Search(string.Empty, ["metrics.acc ASC"], 4, token);
            paged.AddRange(page.Runs);
            token = page.Token;
        }
        while (token is not null);

        Assert.Equal(whole, paged);

        // LIKE is case-sensitive, ILIKE is not; params compare and sort as text.
        Assert.Equal([0, 1, 2], (await Search("attributes.run_name LIKE 'Wide-%'", [], 100)).Runs.Order());
        Assert.Equal(6, (await Search("attributes.run_name ILIKE 'wide-%'", [], 100)).Runs.Count);
        Assert.Equal([4, 0], (await Search("params.lr = '0.1' AND metrics.acc >= 0.5", ["metrics.acc DESC"], 100)).Runs);
        Assert.Equal([5, 3, 1, 4, 0, 2], (await Search(string.Empty, ["params.lr ASC", "metrics.acc DESC"], 100)).Runs);

        var (refused, error) = await server.PostAsync("runs/search", $$"""{"experiment_ids": ["{{experiment}}"], "filter": "metrics.acc >> 1"}""");
        Assert.Equal(400, refused);
        Assert.Equal("INVALID_PARAMETER_VALUE", error.GetProperty("error_code").GetString());
    }
}
