namespace Repro.Interop.Tracking;

/// <summary>One logged metric point as MLflow has it: timestamp in ms since the epoch, step, value (NaN and ±Infinity allowed).</summary>
public readonly record struct MlflowMetric(string Key, double Value, long Timestamp, long Step);
