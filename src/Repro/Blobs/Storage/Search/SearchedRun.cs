namespace Repro.Blobs.Storage.Search;

/// <summary>One run of a result page: its summary (latest metrics included), params and tags.</summary>
public sealed record SearchedRun
{
    public required RunSummary Summary { get; init; }

    public required IReadOnlyDictionary<string, string> Params { get; init; }

    public required IReadOnlyDictionary<string, string> Tags { get; init; }

    /// <summary>The run's status as MLflow names it (FINISHED, FAILED, RUNNING, ...).</summary>
    public required string MlflowStatus { get; init; }
}
