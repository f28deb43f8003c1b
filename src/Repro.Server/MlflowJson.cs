using System.Text.Json;
using Repro.Interop.Tracking;

namespace Repro.Server;

/// <summary>
/// Writes MLflow's protobuf entities as MLflow's server does: snake_case fields, int64 as JSON
/// numbers, NaN and ±Infinity as the strings "NaN", "Infinity", "-Infinity", empty repeated
/// fields left out.
/// </summary>
internal static class MlflowJson
{
    public static void Experiment(Utf8JsonWriter w, MlflowExperiment experiment)
    {
        w.WriteStartObject();
        w.WriteString("experiment_id", experiment.ExperimentId);
        w.WriteString("name", experiment.Name);
        w.WriteString("artifact_location", experiment.ArtifactLocation);
        w.WriteString("lifecycle_stage", experiment.LifecycleStage);
        w.WriteNumber("last_update_time", experiment.LastUpdateTime);
        w.WriteNumber("creation_time", experiment.CreationTime);
        Pairs(w, "tags", experiment.Tags);
        w.WriteEndObject();
    }

    public static void RunInfo(Utf8JsonWriter w, MlflowRunInfo info)
    {
        w.WriteStartObject();
        w.WriteString("run_id", info.RunId);
        w.WriteString("run_uuid", info.RunId);
        w.WriteString("run_name", info.RunName);
        w.WriteString("experiment_id", info.ExperimentId);
        w.WriteString("user_id", info.UserId);
        w.WriteString("status", info.Status);
        if (info.StartTime is { } start)
        {
            w.WriteNumber("start_time", start);
        }

        if (info.EndTime is { } end)
        {
            w.WriteNumber("end_time", end);
        }

        w.WriteString("artifact_uri", info.ArtifactUri);
        w.WriteString("lifecycle_stage", info.LifecycleStage);
        w.WriteEndObject();
    }

    public static void Run(Utf8JsonWriter w, MlflowRun run)
    {
        w.WriteStartObject();
        w.WritePropertyName("info");
        RunInfo(w, run.Info);
        w.WriteStartObject("data");
        if (run.Metrics.Count > 0)
        {
            w.WriteStartArray("metrics");
            foreach (var metric in run.Metrics)
            {
                Metric(w, metric);
            }

            w.WriteEndArray();
        }

        Pairs(w, "params", run.Params);
        Pairs(w, "tags", run.Tags);
        w.WriteEndObject();
        w.WriteStartObject("inputs");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void Metric(Utf8JsonWriter w, MlflowMetric metric)
    {
        w.WriteStartObject();
        w.WriteString("key", metric.Key);
        Double(w, "value", metric.Value);
        w.WriteNumber("timestamp", metric.Timestamp);
        w.WriteNumber("step", metric.Step);
        w.WriteEndObject();
    }

    private static void Double(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsNaN(value))
        {
            w.WriteString(name, "NaN");
        }
        else if (double.IsPositiveInfinity(value))
        {
            w.WriteString(name, "Infinity");
        }
        else if (double.IsNegativeInfinity(value))
        {
            w.WriteString(name, "-Infinity");
        }
        else
        {
            w.WriteNumber(name, value);
        }
    }

    private static void Pairs(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string> pairs)
    {
        if (pairs.Count == 0)
        {
            return;
        }

        w.WriteStartArray(name);
        foreach (var (key, value) in pairs)
        {
            w.WriteStartObject();
            w.WriteString("key", key);
            w.WriteString("value", value);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
