using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Repro.Interop.Tracking;

namespace Repro.Server;

/// <summary>
/// The MLflow-compatible REST API under <c>/api/2.0/mlflow/</c>: the tracking calls MLflow's
/// Python client makes, with its request and response shapes and its error codes, over the
/// workspace's <see cref="ITrackingStore"/>. Read calls take GET query strings or POST JSON.
/// </summary>
public static class MlflowEndpoints
{
    private const int MaxSearchResults = 50000;

    public static void Map(RouteGroupBuilder api, ServerContext context)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(context);

        Post(api, context, "experiments/create", async (store, r, w, ct) =>
        {
            var id = await store.CreateExperimentAsync(r.String("name"), r.String("artifact_location"), Dictionary(r.Pairs("tags")), ct);
            w.WriteString("experiment_id", id);
        });
        Both(api, context, "experiments/get", async (store, r, w, ct) =>
        {
            var experiment = await store.GetExperimentAsync(r.RequiredString("experiment_id"), ct);
            w.WritePropertyName("experiment");
            MlflowJson.Experiment(w, experiment);
        });
        Both(api, context, "experiments/get-by-name", async (store, r, w, ct) =>
        {
            var name = r.RequiredString("experiment_name");
            var experiment = await store.GetExperimentByNameAsync(name, ct) ?? throw TrackingException.NotFound($"Could not find experiment with name '{name}'");
            w.WritePropertyName("experiment");
            MlflowJson.Experiment(w, experiment);
        });
        Both(api, context, "experiments/search", async (store, r, w, ct) =>
        {
            var max = MaxResults(r, 1000);
            var (experiments, next) = await store.SearchExperimentsAsync(r.String("view_type") ?? "ACTIVE_ONLY", r.String("filter"), max, r.String("page_token"), ct);
            w.WriteStartArray("experiments");
            foreach (var experiment in experiments)
            {
                MlflowJson.Experiment(w, experiment);
            }

            w.WriteEndArray();
            if (next is not null)
            {
                w.WriteString("next_page_token", next);
            }
        });
        Post(api, context, "experiments/delete", (store, r, _, ct) => store.DeleteExperimentAsync(r.RequiredString("experiment_id"), ct));
        Post(api, context, "experiments/restore", (store, r, _, ct) => store.RestoreExperimentAsync(r.RequiredString("experiment_id"), ct));
        Post(api, context, "experiments/update", (store, r, _, ct) => store.RenameExperimentAsync(r.RequiredString("experiment_id"), r.String("new_name"), ct));
        Post(api, context, "experiments/set-experiment-tag", (store, r, _, ct) =>
            store.SetExperimentTagAsync(r.RequiredString("experiment_id"), r.RequiredString("key"), r.RequiredString("value"), ct));

        Post(api, context, "runs/create", async (store, r, w, ct) =>
        {
            var run = await store.CreateRunAsync(
                new NewRun
                {
                    ExperimentId = r.String("experiment_id") is { Length: > 0 } experiment ? experiment : TrackingDefaults.DefaultExperimentId,
                    UserId = r.String("user_id"),
                    RunName = r.String("run_name"),
                    StartTime = r.Int64("start_time"),
                    Tags = Dictionary(r.Pairs("tags")),
                },
                ct);
            w.WritePropertyName("run");
            MlflowJson.Run(w, run);
        });
        Post(api, context, "runs/update", async (store, r, w, ct) =>
        {
            var info = await store.UpdateRunAsync(r.RunId(), r.String("status"), r.Int64("end_time"), r.String("run_name"), ct);
            w.WritePropertyName("run_info");
            MlflowJson.RunInfo(w, info);
        });
        Post(api, context, "runs/delete", (store, r, _, ct) => store.DeleteRunAsync(r.RunId(), ct));
        Post(api, context, "runs/restore", (store, r, _, ct) => store.RestoreRunAsync(r.RunId(), ct));
        Both(api, context, "runs/get", async (store, r, w, ct) =>
        {
            var run = await store.GetRunAsync(r.RunId(), ct);
            w.WritePropertyName("run");
            MlflowJson.Run(w, run);
        });
        Post(api, context, "runs/log-metric", (store, r, _, ct) =>
        {
            var metric = new MlflowMetric(
                r.RequiredString("key"),
                r.Double("value") ?? throw MlflowRequest.Missing("value"),
                r.Int64("timestamp") ?? throw MlflowRequest.Missing("timestamp"),
                r.Int64("step") ?? 0);
            return store.LogBatchAsync(r.RunId(), [metric], [], [], ct);
        });
        Post(api, context, "runs/log-parameter", (store, r, _, ct) =>
            store.LogBatchAsync(r.RunId(), [], [new(r.RequiredString("key"), r.String("value") ?? string.Empty)], [], ct));
        Post(api, context, "runs/set-tag", (store, r, _, ct) =>
            store.LogBatchAsync(r.RunId(), [], [], [new(r.RequiredString("key"), r.String("value") ?? string.Empty)], ct));
        Post(api, context, "runs/delete-tag", (store, r, _, ct) => store.DeleteTagAsync(r.RunId(), r.RequiredString("key"), ct));
        Post(api, context, "runs/log-batch", (store, r, _, ct) =>
            store.LogBatchAsync(r.RunId(), r.Metrics("metrics"), r.Pairs("params"), r.Pairs("tags"), ct));
        Post(api, context, "runs/log-inputs", async (store, r, _, ct) =>
        {
            // Dataset inputs are accepted, as MLflow does, for an existing active run; repro
            // records data through `repro run --dep`, so they are not stored.
            var run = await store.GetRunAsync(r.RunId(), ct);
            if (run.Info.LifecycleStage != "active")
            {
                throw TrackingException.InvalidState($"The run {run.Info.RunId} must be in the 'active' state. Current state is {run.Info.LifecycleStage}.");
            }
        });
        Both(api, context, "runs/search", async (store, r, w, ct) =>
        {
            var search = new RunSearchRequest
            {
                ExperimentIds = r.StringList("experiment_ids"),
                Filter = r.String("filter"),
                ViewType = r.String("run_view_type") ?? "ACTIVE_ONLY",
                MaxResults = MaxResults(r, 1000),
                OrderBy = r.StringList("order_by"),
                PageToken = r.String("page_token"),
            };
            var (runs, next) = await store.SearchRunsAsync(search, ct);
            if (runs.Count > 0)
            {
                w.WriteStartArray("runs");
                foreach (var run in runs)
                {
                    MlflowJson.Run(w, run);
                }

                w.WriteEndArray();
            }

            if (next is not null)
            {
                w.WriteString("next_page_token", next);
            }
        });
        Both(api, context, "metrics/get-history", async (store, r, w, ct) =>
        {
            var max = r.Has("max_results") ? MaxResults(r, 0) : (int?)null;
            var (metrics, next) = await store.GetMetricHistoryAsync(r.RunId(), r.RequiredString("metric_key"), max, r.String("page_token"), ct);
            w.WriteStartArray("metrics");
            foreach (var metric in metrics)
            {
                MlflowJson.Metric(w, metric);
            }

            w.WriteEndArray();
            if (next is not null)
            {
                w.WriteString("next_page_token", next);
            }
        });

        Both(api, context, "artifacts/list", async (store, r, w, ct) =>
        {
            // A run's artifacts are its declared outputs, one folder level at a time as MLflow lists them;
            // each file downloads from /runs/RUN/outputs/PATH.
            var run = await store.GetRunAsync(r.RunId(), ct);
            IReadOnlyList<Repro.Model.ArtifactRecord> outputs = (await context.Runs.GetAsync(run.Info.RunId, ct))?.Manifest.Outputs ?? [];
            var folder = (r.String("path") ?? string.Empty).Trim('/');
            var prefix = folder.Length == 0 ? string.Empty : folder + "/";
            w.WriteString("root_uri", run.Info.ArtifactUri);
            w.WriteStartArray("files");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var output in outputs.Where(o => o.Kind != Repro.Model.ArtifactKind.Missing && o.Path.StartsWith(prefix, StringComparison.Ordinal) && !Path.IsPathRooted(o.Path)).OrderBy(o => o.Path, StringComparer.Ordinal))
            {
                var rest = output.Path[prefix.Length..];
                var slash = rest.IndexOf('/', StringComparison.Ordinal);
                var isDir = slash >= 0 || output.Kind == Repro.Model.ArtifactKind.Dir;
                var path = prefix + (slash >= 0 ? rest[..slash] : rest);
                if (rest.Length == 0 || !seen.Add(path))
                {
                    continue;
                }

                w.WriteStartObject();
                w.WriteString("path", path);
                w.WriteBoolean("is_dir", isDir);
                if (!isDir && output.Size is { } size)
                {
                    w.WriteNumber("file_size", size);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        });

        api.Map("{**path}", (HttpContext http) => WriteErrorAsync(http, 404, "ENDPOINT_NOT_FOUND", $"No API endpoint {http.Request.Method} {http.Request.Path}"));
    }

    private delegate Task Handler(ITrackingStore store, MlflowRequest request, Utf8JsonWriter writer, CancellationToken cancellationToken);

    private static void Post(RouteGroupBuilder api, ServerContext context, string path, Handler handler) =>
        api.MapPost(path, (HttpContext http) => HandleAsync(http, context, handler));

    private static void Both(RouteGroupBuilder api, ServerContext context, string path, Handler handler) =>
        api.MapMethods(path, [HttpMethods.Get, HttpMethods.Post], (HttpContext http) => HandleAsync(http, context, handler));

    private static async Task HandleAsync(HttpContext http, ServerContext context, Handler handler)
    {
        var cancellationToken = http.RequestAborted;
        if (context.Tracking is not { } store)
        {
            await WriteErrorAsync(http, 503, "TEMPORARILY_UNAVAILABLE", "this server has no tracking store");
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        try
        {
            var request = await MlflowRequest.ReadAsync(http.Request, cancellationToken);
            await using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                await handler(store, request, writer, cancellationToken);
                writer.WriteEndObject();
            }
        }
        catch (TrackingException ex)
        {
            await WriteErrorAsync(http, ex.HttpStatus, ex.ErrorCode, ex.Message);
            return;
        }
        catch (BadHttpRequestException ex)
        {
            await WriteErrorAsync(http, ex.StatusCode, ex.StatusCode == 413 ? TrackingException.InvalidParameterValue : TrackingException.BadRequestCode, ex.Message);
            return;
        }
        catch (ReproException ex)
        {
            await WriteErrorAsync(http, 400, TrackingException.InvalidParameterValue, ex.Message);
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // What no endpoint expects (the database failing, a bug): MLflow's 500, with what went wrong.
            await WriteErrorAsync(http, 500, "INTERNAL_ERROR", $"{ex.GetType().Name}: {ex.Message}");
            return;
        }

        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = buffer.WrittenCount;
        await http.Response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken);
    }

    private static int MaxResults(MlflowRequest request, int fallback)
    {
        var max = request.Int64("max_results") ?? fallback;
        if (max is < 1 or > MaxSearchResults)
        {
            throw TrackingException.Invalid($"Invalid value {max} for parameter 'max_results' supplied. It must be at least 1 and at most {MaxSearchResults}");
        }

        return (int)max;
    }

    private static Dictionary<string, string> Dictionary(IReadOnlyList<KeyValuePair<string, string>> pairs)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            result[key] = value;
        }

        return result;
    }

    private static async Task WriteErrorAsync(HttpContext http, int status, string code, string message)
    {
        http.Response.StatusCode = status;
        await http.Response.WriteAsJsonAsync(new ErrorBody(code, message), ServerJson.Default.ErrorBody);
    }
}
