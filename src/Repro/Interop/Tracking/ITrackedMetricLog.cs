using Repro.Model;

namespace Repro.Interop.Tracking;

/// <summary>What a tracked run logs: metrics with their history, params and tags.</summary>
public interface ITrackedMetricLog
{
    Task LogBatchAsync(string runId, IReadOnlyList<MlflowMetric> metrics, IReadOnlyList<KeyValuePair<string, string>> parameters, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken);

    Task DeleteTagAsync(string runId, string key, CancellationToken cancellationToken);

    Task<(IReadOnlyList<MlflowMetric> Metrics, string? NextPageToken)> GetMetricHistoryAsync(string runId, string key, int? maxResults, string? pageToken, CancellationToken cancellationToken);

    /// <summary>The latest value of every metric a live run has logged, as a run record holds them.</summary>
    Task<MetricsRecord> LiveMetricsAsync(string runId, CancellationToken cancellationToken);
}
